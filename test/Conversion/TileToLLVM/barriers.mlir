// Barriers by analysis (issue 9 item 5): the lowering puts a barrier before
// and after each use of the scratch space; convert-tile-to-llvm then removes
// the barriers that order nothing: those with no access since the previous
// kept barrier of its block (or the kernel's start) that conflicts with an
// access before the next one (or the kernel's end): the same buffer (the
// scratch space or a ring, by the offset its address starts from), one of
// the two writing.
// RUN: tile-opt %s -split-input-file -convert-tile-to-llvm | FileCheck %s

// Two conversions through shared memory in a row: the first needs no barrier
// before its writes (nothing used shared memory before), the second does (the
// first's reads of the same bytes must be done), and each needs one between
// its writes and its reads: three barriers, not four.
// CHECK-LABEL: llvm.func @two_conversions
// CHECK-NOT: nvvm.barrier0
// CHECK: llvm.store {{.*}}!llvm.ptr<3>
// CHECK: nvvm.barrier0
// CHECK: llvm.load {{.*}}!llvm.ptr<3>
// CHECK: nvvm.barrier0
// CHECK: llvm.store {{.*}}!llvm.ptr<3>
// CHECK: nvvm.barrier0
// CHECK: llvm.load {{.*}}!llvm.ptr<3>
// CHECK-NOT: nvvm.barrier0
// CHECK: llvm.return
#rows = #tile.blocked<sizePerThread = [1, 4], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]>
#cols = #tile.blocked<sizePerThread = [4, 1], threadsPerWarp = [8, 4], warpsPerCTA = [1, 4], order = [0, 1]>
module attributes {tile.num_warps = 4 : i32} {
func.func @two_conversions(%p: !tile.ptr<f32> {tile.divisibility = 16 : i32}) {
  %t = tile.splat %p : !tile.ptr<f32> -> tensor<32x32x!tile.ptr<f32>, #rows>
  %v = tile.load %t : tensor<32x32x!tile.ptr<f32>, #rows>
  %c = tile.convert_layout %v : tensor<32x32xf32, #rows> -> tensor<32x32xf32, #cols>
  %d = tile.convert_layout %c : tensor<32x32xf32, #cols> -> tensor<32x32xf32, #rows>
  tile.store %t, %d : tensor<32x32x!tile.ptr<f32>, #rows>
  return
}
}

// -----

// In a loop the first conversion's barrier stays: the previous iteration's
// reads of the same bytes come before it.
// CHECK-LABEL: llvm.func @in_a_loop
// CHECK: scf.for
// CHECK: nvvm.barrier0
// CHECK: llvm.store {{.*}}!llvm.ptr<3>
// CHECK: nvvm.barrier0
// CHECK: llvm.load {{.*}}!llvm.ptr<3>
#rows = #tile.blocked<sizePerThread = [1, 4], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]>
#cols = #tile.blocked<sizePerThread = [4, 1], threadsPerWarp = [8, 4], warpsPerCTA = [1, 4], order = [0, 1]>
module attributes {tile.num_warps = 4 : i32} {
func.func @in_a_loop(%p: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %n: i32) {
  %t = tile.splat %p : !tile.ptr<f32> -> tensor<32x32x!tile.ptr<f32>, #rows>
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  scf.for %i = %c0 to %n step %c1 : i32 {
    %v = tile.load %t : tensor<32x32x!tile.ptr<f32>, #rows>
    %c = tile.convert_layout %v : tensor<32x32xf32, #rows> -> tensor<32x32xf32, #cols>
    %u = tile.splat %p : !tile.ptr<f32> -> tensor<32x32x!tile.ptr<f32>, #cols>
    tile.store %u, %c : tensor<32x32x!tile.ptr<f32>, #cols>
  }
  return
}
}

// -----

// In a loop, after reads of a ring only, a conversion's first barrier goes:
// the ring and the scratch space are apart (the rings start after the
// scratch used during their life), and the previous iteration's reads of
// the scratch are ordered by the loop's own barrier. The barrier between
// the conversion's writes and reads stays.
// CHECK-LABEL: llvm.func @after_ring_reads
// CHECK: scf.for
// CHECK: nvvm.barrier0
// CHECK: llvm.load {{.*}}!llvm.ptr<3>
// CHECK-NOT: nvvm.barrier0
// CHECK: llvm.store {{.*}}!llvm.ptr<3>
// CHECK: nvvm.barrier0
// CHECK: llvm.load {{.*}}!llvm.ptr<3>
// CHECK-NOT: nvvm.barrier0
// CHECK: llvm.return
#rows = #tile.blocked<sizePerThread = [1, 4], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]>
#cols = #tile.blocked<sizePerThread = [4, 1], threadsPerWarp = [8, 4], warpsPerCTA = [1, 4], order = [0, 1]>
#shared = #tile.shared<vec = 4, perPhase = 1, maxPhase = 1, order = [1, 0]>
module attributes {tile.num_warps = 4 : i32} {
func.func @after_ring_reads(%p: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %n: i32) {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %ring = tile.local_alloc : !tile.memdesc<2x32x32xf32, #shared>
  %u = tile.splat %p : !tile.ptr<f32> -> tensor<32x32x!tile.ptr<f32>, #cols>
  scf.for %i = %c0 to %n step %c1 : i32 {
    tile.barrier
    %r = tile.local_load %ring[%c0] : !tile.memdesc<2x32x32xf32, #shared> -> tensor<32x32xf32, #rows>
    %c = tile.convert_layout %r : tensor<32x32xf32, #rows> -> tensor<32x32xf32, #cols>
    tile.store %u, %c : tensor<32x32x!tile.ptr<f32>, #cols>
  }
  return
}
}

// -----

// A barrier with no shared-memory access after it, up to the kernel's end,
// orders nothing and goes; one followed by a wait for copies (which may
// land in anything read before it) stays.
// CHECK-LABEL: llvm.func @nothing_after
// CHECK: llvm.load {{.*}}!llvm.ptr<3>
// CHECK-NOT: nvvm.barrier0
// CHECK: llvm.return
// CHECK-LABEL: llvm.func @wait_after
// CHECK: llvm.load {{.*}}!llvm.ptr<3>
// CHECK: nvvm.barrier0
// CHECK: nvvm.cp.async.wait.group
#rows = #tile.blocked<sizePerThread = [1, 4], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]>
#shared = #tile.shared<vec = 4, perPhase = 1, maxPhase = 1, order = [1, 0]>
module attributes {tile.num_warps = 4 : i32} {
func.func @nothing_after(%p: !tile.ptr<f32> {tile.divisibility = 16 : i32}) {
  %c0 = arith.constant 0 : i32
  %ring = tile.local_alloc : !tile.memdesc<2x32x32xf32, #shared>
  %r = tile.local_load %ring[%c0] : !tile.memdesc<2x32x32xf32, #shared> -> tensor<32x32xf32, #rows>
  tile.barrier
  %t = tile.splat %p : !tile.ptr<f32> -> tensor<32x32x!tile.ptr<f32>, #rows>
  tile.store %t, %r : tensor<32x32x!tile.ptr<f32>, #rows>
  return
}
func.func @wait_after(%p: !tile.ptr<f32> {tile.divisibility = 16 : i32}) {
  %c0 = arith.constant 0 : i32
  %ring = tile.local_alloc : !tile.memdesc<2x32x32xf32, #shared>
  %r = tile.local_load %ring[%c0] : !tile.memdesc<2x32x32xf32, #shared> -> tensor<32x32xf32, #rows>
  tile.barrier
  %w = tile.async_wait {pending = 0 : i32}
  %t = tile.splat %p : !tile.ptr<f32> -> tensor<32x32x!tile.ptr<f32>, #rows>
  tile.store %t, %r : tensor<32x32x!tile.ptr<f32>, #rows>
  return
}
}

// -----

// A conversion through the scratch space before the rings' life (the bytes
// a ring reuses), then the ring's first copies: the other warps may still be
// reading the conversion's bytes, so the ring starts with a barrier
// (SharedAllocation::afterScratch). Without the conversion before it, the
// ring's copies need none.
// CHECK-LABEL: llvm.func @ring_after_scratch
// CHECK: llvm.store {{.*}}!llvm.ptr<3>
// CHECK: nvvm.barrier0
// CHECK: llvm.load {{.*}}!llvm.ptr<3>
// CHECK: nvvm.barrier0
// CHECK-NOT: llvm.load {{.*}}!llvm.ptr<3>
// CHECK: nvvm.cp.async.shared.global
// CHECK-LABEL: llvm.func @ring_alone
// CHECK-NOT: nvvm.barrier0
// CHECK: nvvm.cp.async.shared.global
#rows = #tile.blocked<sizePerThread = [1, 8], threadsPerWarp = [8, 4], warpsPerCTA = [4, 1], order = [1, 0]>
#cols = #tile.blocked<sizePerThread = [8, 1], threadsPerWarp = [4, 8], warpsPerCTA = [1, 4], order = [0, 1]>
#shared = #tile.shared<vec = 8, perPhase = 2, maxPhase = 4, order = [1, 0]>
module attributes {tile.num_warps = 4 : i32} {
func.func @ring_after_scratch(%a: !tile.ptr<f16> {tile.divisibility = 16 : i32}, %o: !tile.ptr<f16> {tile.divisibility = 16 : i32}) {
  %c0 = arith.constant 0 : i32
  %s = tile.splat %a : !tile.ptr<f16> -> tensor<32x32x!tile.ptr<f16>, #rows>
  %r = tile.make_range {start = 0 : i32, end = 32 : i32} : tensor<32xi32, #tile.slice<dim = 0, parent = #rows>>
  %re = tile.expand_dims %r {axis = 0 : i32} : tensor<32xi32, #tile.slice<dim = 0, parent = #rows>> -> tensor<1x32xi32, #rows>
  %rb = tile.broadcast %re : tensor<1x32xi32, #rows> -> tensor<32x32xi32, #rows>
  %p = tile.addptr %s, %rb : tensor<32x32x!tile.ptr<f16>, #rows>, tensor<32x32xi32, #rows>
  %x = tile.load %p : tensor<32x32x!tile.ptr<f16>, #rows>
  %y = tile.convert_layout %x : tensor<32x32xf16, #rows> -> tensor<32x32xf16, #cols>
  %u = tile.splat %o : !tile.ptr<f16> -> tensor<32x32x!tile.ptr<f16>, #cols>
  tile.store %u, %y : tensor<32x32x!tile.ptr<f16>, #cols>
  %buf = tile.local_alloc : !tile.memdesc<2x32x32xf16, #shared>
  tile.async_copy %p, %buf[%c0] : tensor<32x32x!tile.ptr<f16>, #rows>, !tile.memdesc<2x32x32xf16, #shared>
  tile.async_commit
  return
}
func.func @ring_alone(%a: !tile.ptr<f16> {tile.divisibility = 16 : i32}) {
  %c0 = arith.constant 0 : i32
  %s = tile.splat %a : !tile.ptr<f16> -> tensor<32x32x!tile.ptr<f16>, #rows>
  %r = tile.make_range {start = 0 : i32, end = 32 : i32} : tensor<32xi32, #tile.slice<dim = 0, parent = #rows>>
  %re = tile.expand_dims %r {axis = 0 : i32} : tensor<32xi32, #tile.slice<dim = 0, parent = #rows>> -> tensor<1x32xi32, #rows>
  %rb = tile.broadcast %re : tensor<1x32xi32, #rows> -> tensor<32x32xi32, #rows>
  %p = tile.addptr %s, %rb : tensor<32x32x!tile.ptr<f16>, #rows>, tensor<32x32xi32, #rows>
  %buf = tile.local_alloc : !tile.memdesc<2x32x32xf16, #shared>
  tile.async_copy %p, %buf[%c0] : tensor<32x32x!tile.ptr<f16>, #rows>, !tile.memdesc<2x32x32xf16, #shared>
  tile.async_commit
  return
}
}
