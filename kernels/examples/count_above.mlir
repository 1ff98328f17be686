// Counts of x > t along each dimension of a 4x8 tile of x [4, 8] i32 (row
// major), one program of one warp, laid out by hand so that the two sums of
// booleans run over lane groups of either kind:
//   rows[r] = #{c : x[r, c] > t}  (along dim 1: 8 lanes, the lowest lane bits)
//   cols[c] = #{r : x[r, c] > t}  (along dim 0: 4 lanes, lane bits 3 and 4)
// Each is a vote.sync.ballot of the comparison and a popc of it under the
// lane group's mask (ReduceOpToLLVM.cpp); every lane holds one element.
#L = #tile.blocked<sizePerThread = [1, 1], threadsPerWarp = [4, 8], warpsPerCTA = [1, 1], order = [1, 0]>
#rows = #tile.slice<dim = 1, parent = #L>
#cols = #tile.slice<dim = 0, parent = #L>
module attributes {tile.num_warps = 1 : i32} {
  func.func @count_above(%x: !tile.ptr<i32> {tile.divisibility = 16 : i32},
                         %rows: !tile.ptr<i32> {tile.divisibility = 16 : i32},
                         %cols: !tile.ptr<i32> {tile.divisibility = 16 : i32},
                         %t: i32) {
    %r = tile.make_range {end = 4 : i32, start = 0 : i32} : tensor<4xi32, #rows>
    %c = tile.make_range {end = 8 : i32, start = 0 : i32} : tensor<8xi32, #cols>
    %r2 = tile.expand_dims %r {axis = 1 : i32} : tensor<4xi32, #rows> -> tensor<4x1xi32, #L>
    %c2 = tile.expand_dims %c {axis = 0 : i32} : tensor<8xi32, #cols> -> tensor<1x8xi32, #L>
    %eight = arith.constant dense<8> : tensor<4x1xi32, #L>
    %ro = arith.muli %r2, %eight : tensor<4x1xi32, #L>
    %rb = tile.broadcast %ro : tensor<4x1xi32, #L> -> tensor<4x8xi32, #L>
    %cb = tile.broadcast %c2 : tensor<1x8xi32, #L> -> tensor<4x8xi32, #L>
    %offs = arith.addi %rb, %cb : tensor<4x8xi32, #L>
    %xs = tile.splat %x : !tile.ptr<i32> -> tensor<4x8x!tile.ptr<i32>, #L>
    %xp = tile.addptr %xs, %offs : tensor<4x8x!tile.ptr<i32>, #L>, tensor<4x8xi32, #L>
    %v = tile.load %xp : tensor<4x8x!tile.ptr<i32>, #L>
    %tt = tile.splat %t : i32 -> tensor<4x8xi32, #L>
    %above = arith.cmpi sgt, %v, %tt : tensor<4x8xi32, #L>
    %one = arith.extui %above : tensor<4x8xi1, #L> to tensor<4x8xi32, #L>
    %per_row = tile.reduce %one axis = 1 : (tensor<4x8xi32, #L>) -> tensor<4xi32, #rows> {
    ^bb0(%a: i32, %b: i32):
      %s = arith.addi %a, %b : i32
      tile.reduce.return %s : i32
    }
    %per_col = tile.reduce %one axis = 0 : (tensor<4x8xi32, #L>) -> tensor<8xi32, #cols> {
    ^bb0(%a: i32, %b: i32):
      %s = arith.addi %a, %b : i32
      tile.reduce.return %s : i32
    }
    %rs = tile.splat %rows : !tile.ptr<i32> -> tensor<4x!tile.ptr<i32>, #rows>
    %rp = tile.addptr %rs, %r : tensor<4x!tile.ptr<i32>, #rows>, tensor<4xi32, #rows>
    tile.store %rp, %per_row : tensor<4x!tile.ptr<i32>, #rows>
    %cs = tile.splat %cols : !tile.ptr<i32> -> tensor<8x!tile.ptr<i32>, #cols>
    %cp = tile.addptr %cs, %c : tensor<8x!tile.ptr<i32>, #cols>, tensor<8xi32, #cols>
    tile.store %cp, %per_col : tensor<8x!tile.ptr<i32>, #cols>
    return
  }
}
