// Row-wise softmax of x [M, N] f32 (row stride `stride` elements, N <= 1024,
// M * stride < 2^31: row offsets are 32-bit here; the shipped kernels compute
// row bases in 64 bits):
//   y[m, n] = exp(x[m, n] - max_n x[m, :]) / sum_n exp(x[m, n] - max_n x[m, :])
// Each program handles 4 rows as a 4x1024 tile; rows past M and columns past N
// are masked. Exercises 2-D tiles: reductions along the rows, expand_dims and
// broadcast back.
module attributes {tile.num_warps = 4 : i32, tile.target = "cuda:90a"} {
  func.func @softmax(%x: !tile.ptr<f32> {tile.divisibility = 16 : i32},
                     %y: !tile.ptr<f32> {tile.divisibility = 16 : i32},
                     %M: i32, %N: i32 {tile.divisibility = 4 : i32},
                     %stride: i32 {tile.divisibility = 4 : i32}) {
    %pid = tile.program_id x : i32
    %c4 = arith.constant 4 : i32
    %row0 = arith.muli %pid, %c4 : i32
    %r = tile.make_range {end = 4 : i32, start = 0 : i32} : tensor<4xi32>
    %row0_t = tile.splat %row0 : i32 -> tensor<4xi32>
    %rows = arith.addi %r, %row0_t : tensor<4xi32>
    %cols = tile.make_range {end = 1024 : i32, start = 0 : i32} : tensor<1024xi32>
    %rows2 = tile.expand_dims %rows {axis = 1 : i32} : tensor<4xi32> -> tensor<4x1xi32>
    %cols2 = tile.expand_dims %cols {axis = 0 : i32} : tensor<1024xi32> -> tensor<1x1024xi32>
    %rb = tile.broadcast %rows2 : tensor<4x1xi32> -> tensor<4x1024xi32>
    %cb = tile.broadcast %cols2 : tensor<1x1024xi32> -> tensor<4x1024xi32>

    %stride_t = tile.splat %stride : i32 -> tensor<4x1024xi32>
    %row_off = arith.muli %rb, %stride_t : tensor<4x1024xi32>
    %offs = arith.addi %row_off, %cb : tensor<4x1024xi32>
    %M_t = tile.splat %M : i32 -> tensor<4x1024xi32>
    %N_t = tile.splat %N : i32 -> tensor<4x1024xi32>
    %in_rows = arith.cmpi slt, %rb, %M_t : tensor<4x1024xi32>
    %in_cols = arith.cmpi slt, %cb, %N_t : tensor<4x1024xi32>
    %mask = arith.andi %in_rows, %in_cols : tensor<4x1024xi1>

    %xs = tile.splat %x : !tile.ptr<f32> -> tensor<4x1024x!tile.ptr<f32>>
    %xp = tile.addptr %xs, %offs : tensor<4x1024x!tile.ptr<f32>>, tensor<4x1024xi32>
    %ninf = arith.constant dense<0xFF800000> : tensor<4x1024xf32>
    %v = tile.load %xp, %mask, %ninf : tensor<4x1024x!tile.ptr<f32>>

    %max = tile.reduce %v axis = 1 : (tensor<4x1024xf32>) -> tensor<4xf32> {
    ^bb0(%a: f32, %b: f32):
      %m = arith.maxnumf %a, %b : f32
      tile.reduce.return %m : f32
    }
    %max2 = tile.expand_dims %max {axis = 1 : i32} : tensor<4xf32> -> tensor<4x1xf32>
    %maxb = tile.broadcast %max2 : tensor<4x1xf32> -> tensor<4x1024xf32>
    %shifted = arith.subf %v, %maxb : tensor<4x1024xf32>
    %e = math.exp %shifted : tensor<4x1024xf32>
    %sum = tile.reduce %e axis = 1 : (tensor<4x1024xf32>) -> tensor<4xf32> {
    ^bb0(%a: f32, %b: f32):
      %s = arith.addf %a, %b : f32
      tile.reduce.return %s : f32
    }
    %sum2 = tile.expand_dims %sum {axis = 1 : i32} : tensor<4xf32> -> tensor<4x1xf32>
    %sumb = tile.broadcast %sum2 : tensor<4x1xf32> -> tensor<4x1024xf32>
    %out = arith.divf %e, %sumb : tensor<4x1024xf32>

    %ys = tile.splat %y : !tile.ptr<f32> -> tensor<4x1024x!tile.ptr<f32>>
    %yp = tile.addptr %ys, %offs : tensor<4x1024x!tile.ptr<f32>>, tensor<4x1024xi32>
    tile.store %yp, %out, %mask : tensor<4x1024x!tile.ptr<f32>>
    return
  }
}
