// dst[i] = src[i] over n 32-bit words (n a multiple of 4); one program per
// 2048 words, the last one masked: the copy a kernel can do, beside the
// driver's cuMemcpyDtoDAsync, in tile-bench.
module attributes {tile.num_warps = 4 : i32, tile.target = "cuda:90a"} {
  func.func @copy(%src: !tile.ptr<i32> {tile.divisibility = 16 : i32},
                  %dst: !tile.ptr<i32> {tile.divisibility = 16 : i32},
                  %n: i32 {tile.divisibility = 4 : i32}) {
    %pid = tile.program_id x : i32
    %c2048 = arith.constant 2048 : i32
    %start = arith.muli %pid, %c2048 : i32
    %range = tile.make_range {end = 2048 : i32, start = 0 : i32} : tensor<2048xi32>
    %start_tile = tile.splat %start : i32 -> tensor<2048xi32>
    %offs = arith.addi %start_tile, %range : tensor<2048xi32>
    %n_tile = tile.splat %n : i32 -> tensor<2048xi32>
    %mask = arith.cmpi slt, %offs, %n_tile : tensor<2048xi32>
    %ss = tile.splat %src : !tile.ptr<i32> -> tensor<2048x!tile.ptr<i32>>
    %sp = tile.addptr %ss, %offs : tensor<2048x!tile.ptr<i32>>, tensor<2048xi32>
    %words = tile.load %sp, %mask : tensor<2048x!tile.ptr<i32>>
    %ds = tile.splat %dst : !tile.ptr<i32> -> tensor<2048x!tile.ptr<i32>>
    %dp = tile.addptr %ds, %offs : tensor<2048x!tile.ptr<i32>>, tensor<2048xi32>
    tile.store %dp, %words, %mask : tensor<2048x!tile.ptr<i32>>
    return
  }
}
