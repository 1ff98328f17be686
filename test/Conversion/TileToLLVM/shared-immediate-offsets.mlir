// tile.shared_immediate_offsets (or convert-tile-to-llvm's
// shared-immediate-offsets option): a register's constant offset in a
// shared buffer is added after the thread's part is scaled to bytes (a
// constant-index GEP, which LLVM folds into the access's immediate) where
// its bits cannot meet the thread's, and XORed in where they can (the
// swizzle); without it, every constant is XORed into the thread's offset.
// RUN: tile-opt %s -split-input-file -convert-tile-to-llvm | FileCheck %s --check-prefix=OFF
// RUN: tile-opt %s -split-input-file -convert-tile-to-llvm=shared-immediate-offsets=1 | FileCheck %s --check-prefix=ON
// The module attribute turns it on without the option.
// RUN: sed 's/tile.num_warps = 4 : i32}/tile.num_warps = 4 : i32, tile.shared_immediate_offsets}/' %s | tile-opt -split-input-file -convert-tile-to-llvm | FileCheck %s --check-prefix=ON

// 64x32 f16 on a 32x32 CTA tile: each thread's second vector is 32 rows
// (1024 elements, 2048 bytes) on, bits no lane or warp sets.
// OFF-LABEL: llvm.func @rows
// OFF: nvvm.cp.async.shared.global
// OFF: arith.xori %{{.*}}, %c1024_i32 : i32
// OFF-NOT: !llvm.ptr<3>) -> !llvm.ptr<3>, i8
// OFF: nvvm.cp.async.shared.global
// ON-LABEL: llvm.func @rows
// ON: nvvm.cp.async.shared.global
// ON-NOT: arith.xori %{{.*}}, %c1024_i32
// ON: llvm.getelementptr %{{.*}}[2048] : (!llvm.ptr<3>) -> !llvm.ptr<3>, i8
// ON-NEXT: nvvm.cp.async.shared.global
#blocked = #tile.blocked<sizePerThread = [1, 8], threadsPerWarp = [8, 4], warpsPerCTA = [4, 1], order = [1, 0]>
#shared = #tile.shared<vec = 8, perPhase = 1, maxPhase = 8, order = [1, 0]>
module attributes {tile.num_warps = 4 : i32} {
func.func @rows(%a: !tile.ptr<f16> {tile.divisibility = 16 : i32}) {
  %c0 = arith.constant 0 : i32
  %p = tile.splat %a : !tile.ptr<f16> -> tensor<64x32x!tile.ptr<f16>, #blocked>
  %r = tile.make_range {start = 0 : i32, end = 32 : i32} : tensor<32xi32, #tile.slice<dim = 0, parent = #blocked>>
  %re = tile.expand_dims %r {axis = 0 : i32} : tensor<32xi32, #tile.slice<dim = 0, parent = #blocked>> -> tensor<1x32xi32, #blocked>
  %rb = tile.broadcast %re : tensor<1x32xi32, #blocked> -> tensor<64x32xi32, #blocked>
  %q = tile.addptr %p, %rb : tensor<64x32x!tile.ptr<f16>, #blocked>, tensor<64x32xi32, #blocked>
  %buf = tile.local_alloc : !tile.memdesc<2x64x32xf16, #shared>
  tile.async_copy %q, %buf[%c0] : tensor<64x32x!tile.ptr<f16>, #blocked>, !tile.memdesc<2x64x32xf16, #shared>
  tile.async_commit
  %x = tile.local_load %buf[%c0] : !tile.memdesc<2x64x32xf16, #shared> -> tensor<64x32xf16, #blocked>
  tile.store %q, %x : tensor<64x32x!tile.ptr<f16>, #blocked>
  return
}
}

// -----

// 64x32 f16 on a 64x16 CTA tile: the second vector is 16 columns on, in
// the swizzled chunk bits the lanes set too: XORed either way.
// OFF-LABEL: llvm.func @columns
// OFF: arith.xori %{{.*}}, %c16_i32{{.*}} : i32
// ON-LABEL: llvm.func @columns
// ON: nvvm.cp.async.shared.global
// ON: arith.xori %{{.*}}, %c16_i32{{.*}} : i32
// ON-NOT: !llvm.ptr<3>) -> !llvm.ptr<3>, i8
// ON: nvvm.cp.async.shared.global
#blocked = #tile.blocked<sizePerThread = [1, 8], threadsPerWarp = [16, 2], warpsPerCTA = [4, 1], order = [1, 0]>
#shared = #tile.shared<vec = 8, perPhase = 1, maxPhase = 8, order = [1, 0]>
module attributes {tile.num_warps = 4 : i32} {
func.func @columns(%a: !tile.ptr<f16> {tile.divisibility = 16 : i32}) {
  %c0 = arith.constant 0 : i32
  %p = tile.splat %a : !tile.ptr<f16> -> tensor<64x32x!tile.ptr<f16>, #blocked>
  %r = tile.make_range {start = 0 : i32, end = 32 : i32} : tensor<32xi32, #tile.slice<dim = 0, parent = #blocked>>
  %re = tile.expand_dims %r {axis = 0 : i32} : tensor<32xi32, #tile.slice<dim = 0, parent = #blocked>> -> tensor<1x32xi32, #blocked>
  %rb = tile.broadcast %re : tensor<1x32xi32, #blocked> -> tensor<64x32xi32, #blocked>
  %q = tile.addptr %p, %rb : tensor<64x32x!tile.ptr<f16>, #blocked>, tensor<64x32xi32, #blocked>
  %buf = tile.local_alloc : !tile.memdesc<2x64x32xf16, #shared>
  tile.async_copy %q, %buf[%c0] : tensor<64x32x!tile.ptr<f16>, #blocked>, !tile.memdesc<2x64x32xf16, #shared>
  tile.async_commit
  %x = tile.local_load %buf[%c0] : !tile.memdesc<2x64x32xf16, #shared> -> tensor<64x32xf16, #blocked>
  tile.store %q, %x : tensor<64x32x!tile.ptr<f16>, #blocked>
  return
}
}
