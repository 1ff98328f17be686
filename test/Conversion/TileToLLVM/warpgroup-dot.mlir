// tile.warpgroup_dot and tile.warpgroup_dot_wait on wgmma. A constant
// accumulator's registers are set by immediates in the fence's own
// statement (as a value, LLVM would copy one register wgmma writes into the
// others: ptxas C7517); an isAsync dot ends at its commit, and the wait
// passes every register of its inputs through `wgmma.wait_group N` (tied
// operands), so nothing reads them before it.
// RUN: tile-opt %s -convert-tile-to-llvm | FileCheck %s

// One warpgroup, m64n64 int8: 32 i32 registers a thread; rows of 128 bytes
// (four K steps of 32).
// CHECK-LABEL: llvm.func @together
// The first dot: its bias set in the fence's statement, four wgmma, a
// commit, no wait.
// CHECK: llvm.inline_asm has_side_effects {{.*}}"mov.b32 $0, 0x4b400000;\0A\09mov.b32 $1, 0x4b400000;
// CHECK-SAME: mov.b32 $31, 0x4b400000;\0A\09wgmma.fence.sync.aligned;", "=r,=r,
// CHECK-NOT: wgmma.fence
// CHECK-COUNT-4: wgmma.mma_async.sync.aligned.m64n64k32.s32.s8.s8
// CHECK: "wgmma.commit_group.sync.aligned;"
// CHECK-NOT: wgmma.wait_group
// The second: from a value that is not a constant, passed through the fence.
// CHECK: "wgmma.fence.sync.aligned;", "=r,=r,
// CHECK-COUNT-4: wgmma.mma_async.sync.aligned.m64n64k32.s32.s8.s8
// CHECK: "wgmma.commit_group.sync.aligned;"
// CHECK-NOT: wgmma.mma_async
// The first's 32 registers through a wait that leaves one group pending,
// then the second's through a wait for every group.
// CHECK: "wgmma.wait_group.sync.aligned 1;", "{{(=r,)+}}0,1,2,
// CHECK-SAME: ,31"
// CHECK: "wgmma.wait_group.sync.aligned 0;", "{{(=r,)+}}0,1,2,
// CHECK-NOT: wgmma
#sa = #tile.shared<vec = 16, perPhase = 1, maxPhase = 8, order = [1, 0]>
#sb = #tile.shared<vec = 16, perPhase = 1, maxPhase = 8, order = [0, 1]>
#mma3 = #tile.mma<version = 3, warpsPerCTA = [4, 1], instrShape = [64, 64]>
module attributes {tile.num_warps = 4 : i32, tile.target = "cuda:90a"} {
func.func @together(%x: i32, %out: !tile.ptr<i32>) {
  %s = arith.constant 0 : i32
  %c = tile.splat %x : i32 -> tensor<64x64xi32, #mma3>
  %bias = arith.constant dense<1262485504> : tensor<64x64xi32, #mma3>
  %a = tile.local_alloc : !tile.memdesc<2x64x128xi8, #sa>
  %b = tile.local_alloc : !tile.memdesc<2x128x64xi8, #sb>
  %d0 = tile.warpgroup_dot %a[%s], %b[%s], %bias, inputPrecision = native {isAsync} : !tile.memdesc<2x64x128xi8, #sa>, !tile.memdesc<2x128x64xi8, #sb> -> tensor<64x64xi32, #mma3>
  %d1 = tile.warpgroup_dot %a[%s], %b[%s], %c, inputPrecision = native {isAsync} : !tile.memdesc<2x64x128xi8, #sa>, !tile.memdesc<2x128x64xi8, #sb> -> tensor<64x64xi32, #mma3>
  %r0 = tile.warpgroup_dot_wait %d0 {pendings = 1 : i32} : tensor<64x64xi32, #mma3>
  %r1 = tile.warpgroup_dot_wait %d1 {pendings = 0 : i32} : tensor<64x64xi32, #mma3>
  %sum = arith.addi %r0, %r1 : tensor<64x64xi32, #mma3>
  %p = tile.splat %out : !tile.ptr<i32> -> tensor<64x64x!tile.ptr<i32>, #mma3>
  tile.store %p, %sum : tensor<64x64x!tile.ptr<i32>, #mma3>
  return
}
}
