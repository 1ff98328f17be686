// dst[i] = src[i] over n 32-bit words (n a multiple of 4); one program per
// 512 words, the last one masked: the copy a kernel can do, beside the
// driver's cuMemcpyDtoDAsync, in tile-bench. 512 words on 4 warps is one
// 16-byte vector a thread: on the H200, hand-written CUDA copies with one
// vector a thread ran at 100.6% of the driver's copy, with two 99.3%, with
// four (this kernel's former 2048-word tile) 96.1% (bench/RESULTS.md,
// 2026-11-30).
module attributes {tile.num_warps = 4 : i32, tile.target = "cuda:90a"} {
  func.func @copy(%src: !tile.ptr<i32> {tile.divisibility = 16 : i32},
                  %dst: !tile.ptr<i32> {tile.divisibility = 16 : i32},
                  %n: i32 {tile.divisibility = 4 : i32}) {
    %pid = tile.program_id x : i32
    %c512 = arith.constant 512 : i32
    %start = arith.muli %pid, %c512 : i32
    %range = tile.make_range {end = 512 : i32, start = 0 : i32} : tensor<512xi32>
    %start_tile = tile.splat %start : i32 -> tensor<512xi32>
    %offs = arith.addi %start_tile, %range : tensor<512xi32>
    %n_tile = tile.splat %n : i32 -> tensor<512xi32>
    %mask = arith.cmpi slt, %offs, %n_tile : tensor<512xi32>
    %ss = tile.splat %src : !tile.ptr<i32> -> tensor<512x!tile.ptr<i32>>
    %sp = tile.addptr %ss, %offs : tensor<512x!tile.ptr<i32>>, tensor<512xi32>
    %words = tile.load %sp, %mask : tensor<512x!tile.ptr<i32>>
    %ds = tile.splat %dst : !tile.ptr<i32> -> tensor<512x!tile.ptr<i32>>
    %dp = tile.addptr %ds, %offs : tensor<512x!tile.ptr<i32>>, tensor<512xi32>
    tile.store %dp, %words, %mask : tensor<512x!tile.ptr<i32>>
    return
  }
}
