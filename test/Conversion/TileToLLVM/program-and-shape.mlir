// program_id/num_programs read special registers; make_range, splat,
// broadcast and expand_dims are per-thread index arithmetic with no data
// movement; convert_layout goes through shared memory, and so does reshape
// unless its layout keeps every element in place.
// RUN: tile-opt %s -split-input-file -tile-coalesce -tile-assign-layouts -convert-tile-to-llvm | FileCheck %s

// CHECK-LABEL: llvm.func @grid
// CHECK-DAG: nvvm.read.ptx.sreg.ctaid.x : i32
// CHECK-DAG: nvvm.read.ptx.sreg.ctaid.y : i32
// CHECK-DAG: nvvm.read.ptx.sreg.ctaid.z : i32
// CHECK-DAG: nvvm.read.ptx.sreg.nctaid.x : i32
// CHECK-DAG: nvvm.read.ptx.sreg.nctaid.y : i32
// CHECK-DAG: nvvm.read.ptx.sreg.nctaid.z : i32
func.func @grid(%p: !tile.ptr<i32>) {
  %0 = tile.program_id x : i32
  %1 = tile.program_id y : i32
  %2 = tile.program_id z : i32
  %3 = tile.num_programs x : i32
  %4 = tile.num_programs y : i32
  %5 = tile.num_programs z : i32
  %a = arith.addi %0, %1 : i32
  %b = arith.addi %a, %2 : i32
  %c = arith.addi %b, %3 : i32
  %d = arith.addi %c, %4 : i32
  %e = arith.addi %d, %5 : i32
  tile.store %p, %e : !tile.ptr<i32>
  return
}

// -----

// 128 elements over 128 threads: one element each, its index the thread id
// (tid & 31 lanes, tid >> 5 warps), plus the range's start.
// CHECK-LABEL: llvm.func @range
// CHECK: %[[START:.+]] = arith.constant 4 : i32
// CHECK: %[[TID:.+]] = nvvm.read.ptx.sreg.tid.x : i32
// CHECK: arith.andi %[[TID]], %{{.*}} : i32
// CHECK: arith.shrui %[[TID]], %{{.*}} : i32
// CHECK: %[[V:.+]] = arith.addi %[[START]], %{{.*}} : i32
// CHECK: llvm.inline_asm has_side_effects {{.*}}"st.global.b32 [ $0 + 0 ], $1;", "l,r" %{{.*}}, %[[V]]
func.func @range(%p: !tile.ptr<i32> {tile.divisibility = 16 : i32}) {
  %r = tile.make_range {end = 132 : i32, start = 4 : i32} : tensor<128xi32>
  %z = tile.make_range {end = 128 : i32, start = 0 : i32} : tensor<128xi32>
  %s = tile.splat %p : !tile.ptr<i32> -> tensor<128x!tile.ptr<i32>>
  %a = tile.addptr %s, %z : tensor<128x!tile.ptr<i32>>, tensor<128xi32>
  tile.store %a, %r : tensor<128x!tile.ptr<i32>>
  return
}

// -----

// A conversion between layouts writes every element to shared memory at its
// row-major position and reads the new layout's elements back after a
// barrier (none before: nothing used shared memory earlier); the kernel
// records the bytes it needs (16 i32).
// CHECK: llvm.mlir.global external @tile_smem() {addr_space = 3 : i32, alignment = 16 : i64} : !llvm.array<0 x i8>
// CHECK-LABEL: llvm.func @both_axes
// CHECK-SAME: tile.shared_bytes = 64 : i32
// CHECK-NOT: nvvm.barrier0
// CHECK: llvm.store %{{.*}}, %{{.*}} : i32, !llvm.ptr<3>
// CHECK: nvvm.barrier0
// CHECK: llvm.load %{{.*}} : !llvm.ptr<3> -> i32
func.func @both_axes(%q: !tile.ptr<i32> {tile.divisibility = 16 : i32}) {
  %i = tile.make_range {end = 16 : i32, start = 0 : i32} : tensor<16xi32>
  %qs = tile.splat %q : !tile.ptr<i32> -> tensor<16x!tile.ptr<i32>>
  %qi = tile.addptr %qs, %i : tensor<16x!tile.ptr<i32>>, tensor<16xi32>
  // A loaded tile cannot be loaded again in the other slice layout after a
  // store.
  %r = tile.load %qi : tensor<16x!tile.ptr<i32>>
  tile.store %qi, %i : tensor<16x!tile.ptr<i32>>
  %rows = tile.expand_dims %r {axis = 1 : i32} : tensor<16xi32> -> tensor<16x1xi32>
  %cols = tile.expand_dims %r {axis = 0 : i32} : tensor<16xi32> -> tensor<1x16xi32>
  %sixteen = arith.constant dense<16> : tensor<16x1xi32>
  %ro = arith.muli %rows, %sixteen : tensor<16x1xi32>
  %rb = tile.broadcast %ro : tensor<16x1xi32> -> tensor<16x16xi32>
  %cb = tile.broadcast %cols : tensor<1x16xi32> -> tensor<16x16xi32>
  %o = arith.addi %rb, %cb : tensor<16x16xi32>
  %t = tile.splat %q : !tile.ptr<i32> -> tensor<16x16x!tile.ptr<i32>>
  %b = tile.addptr %t, %o : tensor<16x16x!tile.ptr<i32>>, tensor<16x16xi32>
  tile.store %b, %o : tensor<16x16x!tile.ptr<i32>>
  return
}

// -----

// A reshape that splits the last dimension moves nothing: each thread sums
// its own pair right after the load (no shuffle, no barrier); the only
// shared memory is the conversion of the [4, 8] sums for the store.
// CHECK-LABEL: llvm.func @split_pairs
// CHECK-SAME: tile.shared_bytes = 128 : i32
// CHECK: ld.global
// CHECK-NOT: nvvm.barrier0
// CHECK-NOT: nvvm.shfl
// CHECK: arith.addf
// CHECK: nvvm.barrier0
module attributes {tile.num_warps = 1 : i32} {
func.func @split_pairs(%p: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %q: !tile.ptr<f32> {tile.divisibility = 16 : i32}) {
  %r = tile.make_range {end = 4 : i32, start = 0 : i32} : tensor<4xi32>
  %c = tile.make_range {end = 16 : i32, start = 0 : i32} : tensor<16xi32>
  %r2 = tile.expand_dims %r {axis = 1 : i32} : tensor<4xi32> -> tensor<4x1xi32>
  %c2 = tile.expand_dims %c {axis = 0 : i32} : tensor<16xi32> -> tensor<1x16xi32>
  %k = arith.constant dense<16> : tensor<4x1xi32>
  %ro = arith.muli %r2, %k : tensor<4x1xi32>
  %rb = tile.broadcast %ro : tensor<4x1xi32> -> tensor<4x16xi32>
  %cb = tile.broadcast %c2 : tensor<1x16xi32> -> tensor<4x16xi32>
  %o = arith.addi %rb, %cb : tensor<4x16xi32>
  %s = tile.splat %p : !tile.ptr<f32> -> tensor<4x16x!tile.ptr<f32>>
  %a = tile.addptr %s, %o : tensor<4x16x!tile.ptr<f32>>, tensor<4x16xi32>
  %x = tile.load %a : tensor<4x16x!tile.ptr<f32>>
  %y = tile.reshape %x : tensor<4x16xf32> -> tensor<4x8x2xf32>
  %z = tile.reduce %y axis = 2 : (tensor<4x8x2xf32>) -> tensor<4x8xf32> {
  ^bb0(%u: f32, %v: f32):
    %w = arith.addf %u, %v : f32
    tile.reduce.return %w : f32
  }
  %c8 = tile.make_range {end = 8 : i32, start = 0 : i32} : tensor<8xi32>
  %c82 = tile.expand_dims %c8 {axis = 0 : i32} : tensor<8xi32> -> tensor<1x8xi32>
  %k8 = arith.constant dense<8> : tensor<4x1xi32>
  %ro8 = arith.muli %r2, %k8 : tensor<4x1xi32>
  %rb8 = tile.broadcast %ro8 : tensor<4x1xi32> -> tensor<4x8xi32>
  %cb8 = tile.broadcast %c82 : tensor<1x8xi32> -> tensor<4x8xi32>
  %o8 = arith.addi %rb8, %cb8 : tensor<4x8xi32>
  %t = tile.splat %q : !tile.ptr<f32> -> tensor<4x8x!tile.ptr<f32>>
  %b = tile.addptr %t, %o8 : tensor<4x8x!tile.ptr<f32>>, tensor<4x8xi32>
  tile.store %b, %z : tensor<4x8x!tile.ptr<f32>>
  return
}
}
