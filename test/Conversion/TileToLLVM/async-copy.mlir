// tile.async_copy becomes one 16-byte cp.async per thread and vector; where
// the tile is smaller than its layout's CTA tile (threads hold copies), only
// one thread of each copy issues it: a second copy of a chunk in flight is a
// write-write race (compute-sanitizer's racecheck finds it).
// RUN: tile-opt %s -convert-tile-to-llvm | FileCheck %s

// 16x32 f16 with a 32x32 CTA tile: warps 2 and 3 repeat warps 0 and 1, so
// every cp.async carries the warp's predicate.
// CHECK-LABEL: llvm.func @duplicated
// CHECK: llvm.inline_asm {{.*}}"@$3 cp.async.cg.shared.global [ $0 ], [ $1 ], 16, $2;"
// CHECK-NOT: nvvm.cp.async.shared.global
// CHECK: nvvm.cp.async.commit.group
#blocked = #tile.blocked<sizePerThread = [1, 8], threadsPerWarp = [8, 4], warpsPerCTA = [4, 1], order = [1, 0]>
#shared = #tile.shared<vec = 8, perPhase = 2, maxPhase = 4, order = [1, 0]>
module attributes {tile.num_warps = 4 : i32} {
func.func @duplicated(%a: !tile.ptr<f16> {tile.divisibility = 16 : i32}) {
  %c0 = arith.constant 0 : i32
  %p = tile.splat %a : !tile.ptr<f16> -> tensor<16x32x!tile.ptr<f16>, #blocked>
  %r = tile.make_range {start = 0 : i32, end = 32 : i32} : tensor<32xi32, #tile.slice<dim = 0, parent = #blocked>>
  %re = tile.expand_dims %r {axis = 0 : i32} : tensor<32xi32, #tile.slice<dim = 0, parent = #blocked>> -> tensor<1x32xi32, #blocked>
  %rb = tile.broadcast %re : tensor<1x32xi32, #blocked> -> tensor<16x32xi32, #blocked>
  %q = tile.addptr %p, %rb : tensor<16x32x!tile.ptr<f16>, #blocked>, tensor<16x32xi32, #blocked>
  %buf = tile.local_alloc : !tile.memdesc<2x16x32xf16, #shared>
  tile.async_copy %q, %buf[%c0] : tensor<16x32x!tile.ptr<f16>, #blocked>, !tile.memdesc<2x16x32xf16, #shared>
  tile.async_commit
  return
}
}
