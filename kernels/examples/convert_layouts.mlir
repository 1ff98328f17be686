// y = x through a layout conversion written by hand: the kernels come laid
// out (tile-assign-layouts keeps an author's layouts) so that each reaches
// one path of convert_layout's lowering. Program p copies tile p.
//   shuffle_lanes:     32 x 32 f32 tiles; the lanes walk rows first in the
//                      load's layout and columns first in the store's, the
//                      warps hold the same rows: warp shuffles.
//   permute_registers: 2 x 64 f32 tiles; the same lanes, the registers in
//                      another order: a renaming.
#rows_first = #tile.blocked<sizePerThread = [1, 8], threadsPerWarp = [8, 4], warpsPerCTA = [4, 1], order = [1, 0]>
#cols_first = #tile.blocked<sizePerThread = [1, 8], threadsPerWarp = [8, 4], warpsPerCTA = [4, 1], order = [0, 1]>
#rows = #tile.blocked<sizePerThread = [2, 2], threadsPerWarp = [1, 32], warpsPerCTA = [1, 4], order = [1, 0]>
#cols = #tile.blocked<sizePerThread = [2, 2], threadsPerWarp = [1, 32], warpsPerCTA = [1, 4], order = [0, 1]>
module attributes {tile.num_warps = 4 : i32, tile.target = "cuda:90a"} {
  func.func @shuffle_lanes(%x: !tile.ptr<f32> {tile.divisibility = 16 : i32},
                           %y: !tile.ptr<f32> {tile.divisibility = 16 : i32}) {
    %pid = tile.program_id x : i32
    %c1024 = arith.constant 1024 : i32
    %base = arith.muli %pid, %c1024 : i32
    %xb = tile.addptr %x, %base : !tile.ptr<f32>, i32
    %yb = tile.addptr %y, %base : !tile.ptr<f32>, i32
    // Offsets r * 32 + c in the load's layout ...
    %r = tile.make_range {end = 32 : i32, start = 0 : i32} : tensor<32xi32, #tile.slice<dim = 1, parent = #rows_first>>
    %c = tile.make_range {end = 32 : i32, start = 0 : i32} : tensor<32xi32, #tile.slice<dim = 0, parent = #rows_first>>
    %c32 = arith.constant dense<32> : tensor<32xi32, #tile.slice<dim = 1, parent = #rows_first>>
    %r32 = arith.muli %r, %c32 : tensor<32xi32, #tile.slice<dim = 1, parent = #rows_first>>
    %re = tile.expand_dims %r32 {axis = 1 : i32} : tensor<32xi32, #tile.slice<dim = 1, parent = #rows_first>> -> tensor<32x1xi32, #rows_first>
    %ce = tile.expand_dims %c {axis = 0 : i32} : tensor<32xi32, #tile.slice<dim = 0, parent = #rows_first>> -> tensor<1x32xi32, #rows_first>
    %rb = tile.broadcast %re : tensor<32x1xi32, #rows_first> -> tensor<32x32xi32, #rows_first>
    %cb = tile.broadcast %ce : tensor<1x32xi32, #rows_first> -> tensor<32x32xi32, #rows_first>
    %off = arith.addi %rb, %cb : tensor<32x32xi32, #rows_first>
    %xs = tile.splat %xb : !tile.ptr<f32> -> tensor<32x32x!tile.ptr<f32>, #rows_first>
    %xp = tile.addptr %xs, %off : tensor<32x32x!tile.ptr<f32>, #rows_first>, tensor<32x32xi32, #rows_first>
    %v = tile.load %xp : tensor<32x32x!tile.ptr<f32>, #rows_first>
    %w = tile.convert_layout %v : tensor<32x32xf32, #rows_first> -> tensor<32x32xf32, #cols_first>
    // ... and the same offsets in the store's.
    %r2 = tile.make_range {end = 32 : i32, start = 0 : i32} : tensor<32xi32, #tile.slice<dim = 1, parent = #cols_first>>
    %c2 = tile.make_range {end = 32 : i32, start = 0 : i32} : tensor<32xi32, #tile.slice<dim = 0, parent = #cols_first>>
    %c32b = arith.constant dense<32> : tensor<32xi32, #tile.slice<dim = 1, parent = #cols_first>>
    %r2x = arith.muli %r2, %c32b : tensor<32xi32, #tile.slice<dim = 1, parent = #cols_first>>
    %re2 = tile.expand_dims %r2x {axis = 1 : i32} : tensor<32xi32, #tile.slice<dim = 1, parent = #cols_first>> -> tensor<32x1xi32, #cols_first>
    %ce2 = tile.expand_dims %c2 {axis = 0 : i32} : tensor<32xi32, #tile.slice<dim = 0, parent = #cols_first>> -> tensor<1x32xi32, #cols_first>
    %rb2 = tile.broadcast %re2 : tensor<32x1xi32, #cols_first> -> tensor<32x32xi32, #cols_first>
    %cb2 = tile.broadcast %ce2 : tensor<1x32xi32, #cols_first> -> tensor<32x32xi32, #cols_first>
    %off2 = arith.addi %rb2, %cb2 : tensor<32x32xi32, #cols_first>
    %ys = tile.splat %yb : !tile.ptr<f32> -> tensor<32x32x!tile.ptr<f32>, #cols_first>
    %yp = tile.addptr %ys, %off2 : tensor<32x32x!tile.ptr<f32>, #cols_first>, tensor<32x32xi32, #cols_first>
    tile.store %yp, %w : tensor<32x32x!tile.ptr<f32>, #cols_first>
    return
  }

  func.func @permute_registers(%x: !tile.ptr<f32> {tile.divisibility = 16 : i32},
                               %y: !tile.ptr<f32> {tile.divisibility = 16 : i32}) {
    %pid = tile.program_id x : i32
    %c512 = arith.constant 512 : i32
    %base = arith.muli %pid, %c512 : i32
    %xb = tile.addptr %x, %base : !tile.ptr<f32>, i32
    %yb = tile.addptr %y, %base : !tile.ptr<f32>, i32
    %r = tile.make_range {end = 2 : i32, start = 0 : i32} : tensor<2xi32, #tile.slice<dim = 1, parent = #rows>>
    %c = tile.make_range {end = 256 : i32, start = 0 : i32} : tensor<256xi32, #tile.slice<dim = 0, parent = #rows>>
    %c256 = arith.constant dense<256> : tensor<2xi32, #tile.slice<dim = 1, parent = #rows>>
    %r256 = arith.muli %r, %c256 : tensor<2xi32, #tile.slice<dim = 1, parent = #rows>>
    %re = tile.expand_dims %r256 {axis = 1 : i32} : tensor<2xi32, #tile.slice<dim = 1, parent = #rows>> -> tensor<2x1xi32, #rows>
    %ce = tile.expand_dims %c {axis = 0 : i32} : tensor<256xi32, #tile.slice<dim = 0, parent = #rows>> -> tensor<1x256xi32, #rows>
    %rb = tile.broadcast %re : tensor<2x1xi32, #rows> -> tensor<2x256xi32, #rows>
    %cb = tile.broadcast %ce : tensor<1x256xi32, #rows> -> tensor<2x256xi32, #rows>
    %off = arith.addi %rb, %cb : tensor<2x256xi32, #rows>
    %xs = tile.splat %xb : !tile.ptr<f32> -> tensor<2x256x!tile.ptr<f32>, #rows>
    %xp = tile.addptr %xs, %off : tensor<2x256x!tile.ptr<f32>, #rows>, tensor<2x256xi32, #rows>
    %v = tile.load %xp : tensor<2x256x!tile.ptr<f32>, #rows>
    %w = tile.convert_layout %v : tensor<2x256xf32, #rows> -> tensor<2x256xf32, #cols>
    %r2 = tile.make_range {end = 2 : i32, start = 0 : i32} : tensor<2xi32, #tile.slice<dim = 1, parent = #cols>>
    %c2 = tile.make_range {end = 256 : i32, start = 0 : i32} : tensor<256xi32, #tile.slice<dim = 0, parent = #cols>>
    %c256b = arith.constant dense<256> : tensor<2xi32, #tile.slice<dim = 1, parent = #cols>>
    %r2x = arith.muli %r2, %c256b : tensor<2xi32, #tile.slice<dim = 1, parent = #cols>>
    %re2 = tile.expand_dims %r2x {axis = 1 : i32} : tensor<2xi32, #tile.slice<dim = 1, parent = #cols>> -> tensor<2x1xi32, #cols>
    %ce2 = tile.expand_dims %c2 {axis = 0 : i32} : tensor<256xi32, #tile.slice<dim = 0, parent = #cols>> -> tensor<1x256xi32, #cols>
    %rb2 = tile.broadcast %re2 : tensor<2x1xi32, #cols> -> tensor<2x256xi32, #cols>
    %cb2 = tile.broadcast %ce2 : tensor<1x256xi32, #cols> -> tensor<2x256xi32, #cols>
    %off2 = arith.addi %rb2, %cb2 : tensor<2x256xi32, #cols>
    %ys = tile.splat %yb : !tile.ptr<f32> -> tensor<2x256x!tile.ptr<f32>, #cols>
    %yp = tile.addptr %ys, %off2 : tensor<2x256x!tile.ptr<f32>, #cols>, tensor<2x256xi32, #cols>
    tile.store %yp, %w : tensor<2x256x!tile.ptr<f32>, #cols>
    return
  }
}
