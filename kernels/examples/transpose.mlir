// y = x^T for an M x N f32 matrix x (row-major, row stride N) into the N x M
// y (row stride M); M and N multiples of 4. One program per 64 x 64 tile,
// row-major over x's tiles, masked at the ragged edges. The load runs along
// x's rows, the store along y's: tile-coalesce gives each its own layout
// (16 bytes per thread access both ways) and tile-assign-layouts converts
// the tile once between them, through shared memory.
module attributes {tile.num_warps = 4 : i32, tile.target = "cuda:90a"} {
  func.func @transpose(%x: !tile.ptr<f32> {tile.divisibility = 16 : i32},
                       %y: !tile.ptr<f32> {tile.divisibility = 16 : i32},
                       %m: i32 {tile.divisibility = 4 : i32},
                       %n: i32 {tile.divisibility = 4 : i32}) {
    %pid = tile.program_id x : i32
    %c63 = arith.constant 63 : i32
    %c64 = arith.constant 64 : i32
    %n63 = arith.addi %n, %c63 : i32
    %tiles_n = arith.divsi %n63, %c64 : i32
    %pm = arith.divsi %pid, %tiles_n : i32
    %pn = arith.remsi %pid, %tiles_n : i32
    %m0 = arith.muli %pm, %c64 : i32
    %n0 = arith.muli %pn, %c64 : i32
    %r = tile.make_range {end = 64 : i32, start = 0 : i32} : tensor<64xi32>
    %m0t = tile.splat %m0 : i32 -> tensor<64xi32>
    %n0t = tile.splat %n0 : i32 -> tensor<64xi32>
    %rows = arith.addi %m0t, %r : tensor<64xi32>
    %cols = arith.addi %n0t, %r : tensor<64xi32>
    %mt = tile.splat %m : i32 -> tensor<64xi32>
    %nt = tile.splat %n : i32 -> tensor<64xi32>
    %row_in = arith.cmpi slt, %rows, %mt : tensor<64xi32>
    %col_in = arith.cmpi slt, %cols, %nt : tensor<64xi32>
    %row_in2 = tile.expand_dims %row_in {axis = 1 : i32} : tensor<64xi1> -> tensor<64x1xi1>
    %col_in2 = tile.expand_dims %col_in {axis = 0 : i32} : tensor<64xi1> -> tensor<1x64xi1>
    %row_inb = tile.broadcast %row_in2 : tensor<64x1xi1> -> tensor<64x64xi1>
    %col_inb = tile.broadcast %col_in2 : tensor<1x64xi1> -> tensor<64x64xi1>
    %mask = arith.andi %row_inb, %col_inb : tensor<64x64xi1>
    // x[r, c] at r * N + c.
    %xrow = arith.muli %rows, %nt : tensor<64xi32>
    %xrow2 = tile.expand_dims %xrow {axis = 1 : i32} : tensor<64xi32> -> tensor<64x1xi32>
    %xcol2 = tile.expand_dims %cols {axis = 0 : i32} : tensor<64xi32> -> tensor<1x64xi32>
    %xrowb = tile.broadcast %xrow2 : tensor<64x1xi32> -> tensor<64x64xi32>
    %xcolb = tile.broadcast %xcol2 : tensor<1x64xi32> -> tensor<64x64xi32>
    %xoff = arith.addi %xrowb, %xcolb : tensor<64x64xi32>
    %xs = tile.splat %x : !tile.ptr<f32> -> tensor<64x64x!tile.ptr<f32>>
    %xp = tile.addptr %xs, %xoff : tensor<64x64x!tile.ptr<f32>>, tensor<64x64xi32>
    %v = tile.load %xp, %mask : tensor<64x64x!tile.ptr<f32>>
    // y[c, r] at c * M + r: along dimension 0 of the tile.
    %yrow2 = tile.expand_dims %rows {axis = 1 : i32} : tensor<64xi32> -> tensor<64x1xi32>
    %ycol = arith.muli %cols, %mt : tensor<64xi32>
    %ycol2 = tile.expand_dims %ycol {axis = 0 : i32} : tensor<64xi32> -> tensor<1x64xi32>
    %yrowb = tile.broadcast %yrow2 : tensor<64x1xi32> -> tensor<64x64xi32>
    %ycolb = tile.broadcast %ycol2 : tensor<1x64xi32> -> tensor<64x64xi32>
    %yoff = arith.addi %yrowb, %ycolb : tensor<64x64xi32>
    %ys = tile.splat %y : !tile.ptr<f32> -> tensor<64x64x!tile.ptr<f32>>
    %yp = tile.addptr %ys, %yoff : tensor<64x64x!tile.ptr<f32>>, tensor<64x64xi32>
    tile.store %yp, %v, %mask : tensor<64x64x!tile.ptr<f32>>
    return
  }
}
