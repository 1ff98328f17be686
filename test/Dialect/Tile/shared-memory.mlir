// The shared-memory ops, !tile.memdesc and !tile.async_token round-trip
// through the printer.
// RUN: tile-opt %s -allow-unregistered-dialect | tile-opt -allow-unregistered-dialect | FileCheck %s
// RUN: tile-opt %s -allow-unregistered-dialect --mlir-print-op-generic | tile-opt -allow-unregistered-dialect | FileCheck %s

#shared = #tile.shared<vec = 8, perPhase = 2, maxPhase = 4, order = [1, 0]>
#blocked = #tile.blocked<sizePerThread = [1, 8], threadsPerWarp = [8, 4], warpsPerCTA = [4, 1], order = [1, 0]>
#mma = #tile.mma<version = 2, warpsPerCTA = [2, 2], instrShape = [16, 8]>
#dot_a = #tile.dot_operand<opIdx = 0, parent = #mma, kWidth = 2>

// CHECK-LABEL: func.func @ring
// CHECK: %[[BUF:.+]] = tile.local_alloc : !tile.memdesc<3x64x32xf16, #tile.shared<vec = 8, perPhase = 2, maxPhase = 4, order = [1, 0]>>
// CHECK: %[[T0:.+]] = tile.async_copy %{{.*}}, %[[BUF]][%{{.*}}] mask %{{.*}} : tensor<64x32xi1, #{{.*}}> : tensor<64x32x!tile.ptr<f16>, #{{.*}}>, !tile.memdesc<3x64x32xf16
// CHECK: %[[T1:.+]] = tile.async_copy %{{.*}}, %[[BUF]][%{{.*}}] : tensor<64x32x!tile.ptr<f16>
// CHECK: %[[G:.+]] = tile.async_commit tokens %[[T0]], %[[T1]]
// CHECK: %[[W:.+]] = tile.async_wait tokens %[[G]] {pending = 1 : i32}
// CHECK: tile.barrier
// CHECK: tile.local_load %[[BUF]][%{{.*}}] token %[[W]] : !tile.memdesc<3x64x32xf16, {{.*}}> -> tensor<64x32xf16, #tile.dot_operand
// Tokens are optional where the order is known otherwise.
// CHECK: tile.async_commit{{$}}
// CHECK: tile.async_wait {pending = 0 : i32}
// CHECK: tile.local_load %[[BUF]][%{{.*}}] : !tile.memdesc
func.func @ring(%p: tensor<64x32x!tile.ptr<f16>, #blocked>, %m: tensor<64x32xi1, #blocked>, %s: i32) {
  %buf = tile.local_alloc : !tile.memdesc<3x64x32xf16, #shared>
  %t0 = tile.async_copy %p, %buf[%s] mask %m : tensor<64x32xi1, #blocked> : tensor<64x32x!tile.ptr<f16>, #blocked>, !tile.memdesc<3x64x32xf16, #shared>
  %t1 = tile.async_copy %p, %buf[%s] : tensor<64x32x!tile.ptr<f16>, #blocked>, !tile.memdesc<3x64x32xf16, #shared>
  %g = tile.async_commit tokens %t0, %t1
  %w = tile.async_wait tokens %g {pending = 1 : i32}
  tile.barrier
  %a = tile.local_load %buf[%s] token %w : !tile.memdesc<3x64x32xf16, #shared> -> tensor<64x32xf16, #dot_a>
  "test.use"(%a) : (tensor<64x32xf16, #dot_a>) -> ()
  %g2 = tile.async_commit
  %w2 = tile.async_wait {pending = 0 : i32}
  %b = tile.local_load %buf[%s] : !tile.memdesc<3x64x32xf16, #shared> -> tensor<64x32xf16, #dot_a>
  "test.use"(%b) : (tensor<64x32xf16, #dot_a>) -> ()
  return
}

// A register tile written into a buffer (f16_exact's widened tiles).
// CHECK-LABEL: func.func @store
// CHECK: tile.local_store %{{.*}}, %{{.*}}[%{{.*}}] : tensor<64x32xf16, #{{.*}}> -> !tile.memdesc<1x64x32xf16, #tile.shared<vec = 8, perPhase = 2, maxPhase = 4, order = [1, 0]>>
func.func @store(%v: tensor<64x32xf16, #blocked>, %s: i32) {
  %buf = tile.local_alloc : !tile.memdesc<1x64x32xf16, #shared>
  tile.local_store %v, %buf[%s] : tensor<64x32xf16, #blocked> -> !tile.memdesc<1x64x32xf16, #shared>
  return
}

// An asynchronous warpgroup dot and the wait that makes its result readable
// (two results through one wait).
#sa = #tile.shared<vec = 16, perPhase = 1, maxPhase = 8, order = [1, 0]>
#sb = #tile.shared<vec = 16, perPhase = 1, maxPhase = 8, order = [0, 1]>
#mma3 = #tile.mma<version = 3, warpsPerCTA = [4, 1], instrShape = [64, 64]>
// CHECK-LABEL: func.func @async_warpgroup_dot
// CHECK: %[[D0:.+]] = tile.warpgroup_dot %{{.*}}[%{{.*}}], %{{.*}}[%{{.*}}], %{{.*}}, inputPrecision = native {isAsync} : !tile.memdesc<2x64x128xi8
// CHECK: %[[D1:.+]] = tile.warpgroup_dot {{.*}} {isAsync}
// CHECK: %{{.+}}:2 = tile.warpgroup_dot_wait %[[D0]], %[[D1]] {pendings = 1 : i32} : tensor<64x64xi32, #tile.mma<version = 3, {{.*}}>>, tensor<64x64xi32
func.func @async_warpgroup_dot(%a: !tile.memdesc<2x64x128xi8, #sa>, %b: !tile.memdesc<2x128x64xi8, #sb>, %c: tensor<64x64xi32, #mma3>, %s: i32) {
  %d0 = tile.warpgroup_dot %a[%s], %b[%s], %c, inputPrecision = native {isAsync} : !tile.memdesc<2x64x128xi8, #sa>, !tile.memdesc<2x128x64xi8, #sb> -> tensor<64x64xi32, #mma3>
  %d1 = tile.warpgroup_dot %a[%s], %b[%s], %c, inputPrecision = native {isAsync} : !tile.memdesc<2x64x128xi8, #sa>, !tile.memdesc<2x128x64xi8, #sb> -> tensor<64x64xi32, #mma3>
  %r:2 = tile.warpgroup_dot_wait %d0, %d1 {pendings = 1 : i32} : tensor<64x64xi32, #mma3>, tensor<64x64xi32, #mma3>
  "test.use"(%r#0, %r#1) : (tensor<64x64xi32, #mma3>, tensor<64x64xi32, #mma3>) -> ()
  return
}
