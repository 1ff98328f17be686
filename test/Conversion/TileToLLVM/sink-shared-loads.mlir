// convert-tile-to-llvm's sink-shared-loads (on by default): each ldmatrix
// and the pure ops unpacking it move down to just before their first use,
// past the issue of cp.async copies (which land at an unknown time until a
// wait), never past a barrier or a cp.async wait; then (prefetch-k-steps,
// default 1) each ldmatrix alone goes back up past the mma.sync of one K
// step, so it is read a step ahead of its use. No op keeps the
// tile.mma_per_k_step mark the dot lowering leaves for it.
// RUN: tile-opt %s -split-input-file -convert-tile-to-llvm="sink-shared-loads=true prefetch-k-steps=0" | FileCheck %s
// RUN: tile-opt %s -split-input-file -convert-tile-to-llvm=sink-shared-loads=true | FileCheck %s --check-prefix=PREFETCH
// RUN: tile-opt %s -split-input-file -convert-tile-to-llvm | FileCheck %s --check-prefix=PREFETCH
// RUN: tile-opt %s -split-input-file -convert-tile-to-llvm=sink-shared-loads=false | FileCheck %s --check-prefix=OFF
// mma-k-innermost (off by default): each accumulator fragment's K chain
// of mma.sync before the next fragment's.
// RUN: tile-opt %s -split-input-file -convert-tile-to-llvm="sink-shared-loads=false mma-k-innermost=true" | FileCheck %s --check-prefix=KINNER
// CHECK-NOT: tile.mma_per_k_step
// PREFETCH-NOT: tile.mma_per_k_step
// OFF-NOT: tile.mma_per_k_step

// The operands are read after the copy into the other stage is issued, each
// just before the first mma that uses it: an ldmatrix comes after an mma.
// CHECK-LABEL: llvm.func @past_copies
// CHECK: nvvm.cp.async.commit.group
// CHECK: nvvm.ldmatrix
// CHECK: llvm.inline_asm {{.*}}mma.sync
// CHECK: nvvm.ldmatrix
// CHECK: llvm.inline_asm {{.*}}mma.sync
// Off: both operands are read before the copy.
// OFF-LABEL: llvm.func @past_copies
// OFF: nvvm.ldmatrix
// OFF: nvvm.ldmatrix
// OFF: nvvm.cp.async.commit.group
// OFF: llvm.inline_asm {{.*}}mma.sync
#blocked = #tile.blocked<sizePerThread = [1, 8], threadsPerWarp = [8, 4], warpsPerCTA = [4, 1], order = [1, 0]>
#shared = #tile.shared<vec = 8, perPhase = 1, maxPhase = 4, order = [1, 0]>
#mma = #tile.mma<version = 2, warpsPerCTA = [2, 2], instrShape = [16, 8]>
#dot_a = #tile.dot_operand<opIdx = 0, parent = #mma, kWidth = 2>
#dot_b = #tile.dot_operand<opIdx = 1, parent = #mma, kWidth = 2>
#shared_b = #tile.shared<vec = 8, perPhase = 1, maxPhase = 4, order = [0, 1]>
module attributes {tile.num_warps = 4 : i32} {
func.func @past_copies(%x: !tile.ptr<f16> {tile.divisibility = 16 : i32}, %y: !tile.ptr<f32>) {
  %c0 = arith.constant 0 : i32
  %s = tile.splat %x : !tile.ptr<f16> -> tensor<32x32x!tile.ptr<f16>, #blocked>
  %r = tile.make_range {start = 0 : i32, end = 32 : i32} : tensor<32xi32, #tile.slice<dim = 0, parent = #blocked>>
  %re = tile.expand_dims %r {axis = 0 : i32} : tensor<32xi32, #tile.slice<dim = 0, parent = #blocked>> -> tensor<1x32xi32, #blocked>
  %rb2 = tile.broadcast %re : tensor<1x32xi32, #blocked> -> tensor<32x32xi32, #blocked>
  %p = tile.addptr %s, %rb2 : tensor<32x32x!tile.ptr<f16>, #blocked>, tensor<32x32xi32, #blocked>
  %out = tile.splat %y : !tile.ptr<f32> -> tensor<32x32x!tile.ptr<f32>, #mma>
  %c1 = arith.constant 1 : i32
  %a = tile.local_alloc : !tile.memdesc<2x32x32xf16, #shared>
  %b = tile.local_alloc : !tile.memdesc<2x32x32xf16, #shared_b>
  %ra = tile.local_load %a[%c0] : !tile.memdesc<2x32x32xf16, #shared> -> tensor<32x32xf16, #dot_a>
  %rb = tile.local_load %b[%c0] : !tile.memdesc<2x32x32xf16, #shared_b> -> tensor<32x32xf16, #dot_b>
  %t = tile.async_copy %p, %a[%c1] : tensor<32x32x!tile.ptr<f16>, #blocked>, !tile.memdesc<2x32x32xf16, #shared>
  %g = tile.async_commit tokens %t
  %zero = arith.constant dense<0.0> : tensor<32x32xf32, #mma>
  %d = tile.dot %ra, %rb, %zero : tensor<32x32xf16, #dot_a> * tensor<32x32xf16, #dot_b> -> tensor<32x32xf32, #mma>
  tile.store %out, %d : tensor<32x32x!tile.ptr<f32>, #mma>
  return
}
}

// -----

// A barrier (another thread may write the buffer after it) stops them.
// CHECK-LABEL: llvm.func @not_past_barrier
// CHECK: nvvm.ldmatrix
// CHECK: nvvm.ldmatrix
// CHECK: nvvm.barrier0
// CHECK: llvm.inline_asm {{.*}}mma.sync
#mma = #tile.mma<version = 2, warpsPerCTA = [2, 2], instrShape = [16, 8]>
#dot_a = #tile.dot_operand<opIdx = 0, parent = #mma, kWidth = 2>
#dot_b = #tile.dot_operand<opIdx = 1, parent = #mma, kWidth = 2>
#shared = #tile.shared<vec = 8, perPhase = 1, maxPhase = 4, order = [1, 0]>
#shared_b = #tile.shared<vec = 8, perPhase = 1, maxPhase = 4, order = [0, 1]>
module attributes {tile.num_warps = 4 : i32} {
func.func @not_past_barrier(%y: !tile.ptr<f32>) {
  %c0 = arith.constant 0 : i32
  %out = tile.splat %y : !tile.ptr<f32> -> tensor<32x32x!tile.ptr<f32>, #mma>
  %a = tile.local_alloc : !tile.memdesc<2x32x32xf16, #shared>
  %b = tile.local_alloc : !tile.memdesc<2x32x32xf16, #shared_b>
  %ra = tile.local_load %a[%c0] : !tile.memdesc<2x32x32xf16, #shared> -> tensor<32x32xf16, #dot_a>
  %rb = tile.local_load %b[%c0] : !tile.memdesc<2x32x32xf16, #shared_b> -> tensor<32x32xf16, #dot_b>
  tile.barrier
  // (What lands after it may write the buffers: the barrier orders something
  // and stays.)
  %landed = tile.async_wait {pending = 0 : i32}
  %zero = arith.constant dense<0.0> : tensor<32x32xf32, #mma>
  %d = tile.dot %ra, %rb, %zero : tensor<32x32xf16, #dot_a> * tensor<32x32xf16, #dot_b> -> tensor<32x32xf32, #mma>
  tile.store %out, %d : tensor<32x32x!tile.ptr<f32>, #mma>
  return
}
}

// -----

// Four K steps (K = 64, m16n8k16) of two mma.sync each (a 16x16 warp
// tile), one ldmatrix per operand and step. At the first use: a step's two
// loads, then its two mma. One step ahead: steps 0 and 1 read before the
// first mma, each later step's loads between the two steps before it.
// CHECK-LABEL: llvm.func @four_k_steps
// CHECK-COUNT-2: nvvm.ldmatrix
// CHECK-NOT: nvvm.ldmatrix
// CHECK-COUNT-2: mma.sync
// CHECK-NOT: mma.sync
// CHECK-COUNT-2: nvvm.ldmatrix
// CHECK-NOT: nvvm.ldmatrix
// CHECK-COUNT-2: mma.sync
// PREFETCH-LABEL: llvm.func @four_k_steps
// PREFETCH-COUNT-4: nvvm.ldmatrix
// PREFETCH-NOT: nvvm.ldmatrix
// PREFETCH-COUNT-2: mma.sync
// PREFETCH-NOT: mma.sync
// PREFETCH-COUNT-2: nvvm.ldmatrix
// PREFETCH-NOT: nvvm.ldmatrix
// PREFETCH-COUNT-2: mma.sync
// PREFETCH-NOT: mma.sync
// PREFETCH-COUNT-2: nvvm.ldmatrix
// PREFETCH-NOT: nvvm.ldmatrix
// PREFETCH-COUNT-4: mma.sync
// PREFETCH-NOT: nvvm.ldmatrix
// PREFETCH: llvm.return
// Off: all eight loads first; the mma.sync K step by K step: both
// fragments start from the zero accumulator, then each step continues both
// chains.
// OFF-LABEL: llvm.func @four_k_steps
// OFF-COUNT-8: nvvm.ldmatrix
// OFF-NOT: nvvm.ldmatrix
// OFF-COUNT-2: mma.sync{{.*}} %cst, %cst, %cst, %cst :
// OFF-COUNT-6: mma.sync{{.*}} %{{[0-9]+}}, %{{[0-9]+}}, %{{[0-9]+}}, %{{[0-9]+}} :
// K innermost: one fragment's four steps, then the other's.
// KINNER-LABEL: llvm.func @four_k_steps
// KINNER: mma.sync{{.*}} %cst, %cst, %cst, %cst :
// KINNER-COUNT-3: mma.sync{{.*}} %{{[0-9]+}}, %{{[0-9]+}}, %{{[0-9]+}}, %{{[0-9]+}} :
// KINNER: mma.sync{{.*}} %cst, %cst, %cst, %cst :
// KINNER-COUNT-3: mma.sync{{.*}} %{{[0-9]+}}, %{{[0-9]+}}, %{{[0-9]+}}, %{{[0-9]+}} :
#mma = #tile.mma<version = 2, warpsPerCTA = [2, 2], instrShape = [16, 8]>
#dot_a = #tile.dot_operand<opIdx = 0, parent = #mma, kWidth = 2>
#dot_b = #tile.dot_operand<opIdx = 1, parent = #mma, kWidth = 2>
#shared = #tile.shared<vec = 8, perPhase = 1, maxPhase = 8, order = [1, 0]>
#shared_b = #tile.shared<vec = 8, perPhase = 1, maxPhase = 8, order = [0, 1]>
module attributes {tile.num_warps = 4 : i32} {
func.func @four_k_steps(%y: !tile.ptr<f32>) {
  %c0 = arith.constant 0 : i32
  %out = tile.splat %y : !tile.ptr<f32> -> tensor<32x32x!tile.ptr<f32>, #mma>
  %a = tile.local_alloc : !tile.memdesc<1x32x64xf16, #shared>
  %b = tile.local_alloc : !tile.memdesc<1x64x32xf16, #shared_b>
  %ra = tile.local_load %a[%c0] : !tile.memdesc<1x32x64xf16, #shared> -> tensor<32x64xf16, #dot_a>
  %rb = tile.local_load %b[%c0] : !tile.memdesc<1x64x32xf16, #shared_b> -> tensor<64x32xf16, #dot_b>
  %zero = arith.constant dense<0.0> : tensor<32x32xf32, #mma>
  %d = tile.dot %ra, %rb, %zero : tensor<32x64xf16, #dot_a> * tensor<64x32xf16, #dot_b> -> tensor<32x32xf32, #mma>
  tile.store %out, %d : tensor<32x32x!tile.ptr<f32>, #mma>
  return
}
}
