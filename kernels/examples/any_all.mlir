// Row-wise any and all of a comparison, over x [M, N] i32 (row stride
// `stride` elements, N <= 4096):
//   any[m] = 1 if x[m, n] > t for some n < N, else 0
//   all[m] = 1 if x[m, n] > t for every n < N, else 0 (1 for an empty row)
// One program per row, the row as a 4096-element tile over 8 warps: both
// reductions are over i1 and go across the warps through shared memory.
// Columns past N are masked off and count for neither (false for any, true
// for all), whatever the value a masked load gives them.
module attributes {tile.num_warps = 8 : i32, tile.target = "cuda:90a"} {
  func.func @any_all(%x: !tile.ptr<i32> {tile.divisibility = 16 : i32},
                     %any: !tile.ptr<i8>, %all: !tile.ptr<i8>,
                     %N: i32, %stride: i32, %t: i32) {
    %row = tile.program_id x : i32
    %cols = tile.make_range {end = 4096 : i32, start = 0 : i32} : tensor<4096xi32>
    %n_tile = tile.splat %N : i32 -> tensor<4096xi32>
    %mask = arith.cmpi slt, %cols, %n_tile : tensor<4096xi32>

    %row64 = arith.extsi %row : i32 to i64
    %stride64 = arith.extsi %stride : i32 to i64
    %x_off = arith.muli %row64, %stride64 : i64
    %x_row = tile.addptr %x, %x_off : !tile.ptr<i32>, i64
    %x_rows = tile.splat %x_row : !tile.ptr<i32> -> tensor<4096x!tile.ptr<i32>>
    %x_ptrs = tile.addptr %x_rows, %cols : tensor<4096x!tile.ptr<i32>>, tensor<4096xi32>
    %zero = arith.constant dense<0> : tensor<4096xi32>
    %v = tile.load %x_ptrs, %mask, %zero : tensor<4096x!tile.ptr<i32>>

    %t_tile = tile.splat %t : i32 -> tensor<4096xi32>
    %above = arith.cmpi sgt, %v, %t_tile : tensor<4096xi32>
    %true = arith.constant dense<true> : tensor<4096xi1>
    %masked_off = arith.xori %mask, %true : tensor<4096xi1>
    %any_in = arith.andi %above, %mask : tensor<4096xi1>
    %all_in = arith.ori %above, %masked_off : tensor<4096xi1>

    %some = tile.reduce %any_in axis = 0 : (tensor<4096xi1>) -> i1 {
    ^bb0(%a: i1, %b: i1):
      %o = arith.ori %a, %b : i1
      tile.reduce.return %o : i1
    }
    %every = tile.reduce %all_in axis = 0 : (tensor<4096xi1>) -> i1 {
    ^bb0(%a: i1, %b: i1):
      %o = arith.andi %a, %b : i1
      tile.reduce.return %o : i1
    }

    %some8 = arith.extui %some : i1 to i8
    %every8 = arith.extui %every : i1 to i8
    %any_ptr = tile.addptr %any, %row : !tile.ptr<i8>, i32
    tile.store %any_ptr, %some8 : !tile.ptr<i8>
    %all_ptr = tile.addptr %all, %row : !tile.ptr<i8>, i32
    tile.store %all_ptr, %every8 : !tile.ptr<i8>
    return
  }
}
