// tile.reduce across warps of booleans and other types narrower than a byte:
// each warp's partial goes to a byte of its own in shared memory (extended
// to i8 on the way in, truncated on the way out), each operand's region is
// aligned to its slot size, and the kernel's tile.shared_bytes covers every
// slot the lowering addresses (getReduceScratch computes both).
// RUN: tile-opt %s -split-input-file -tile-coalesce -tile-assign-layouts -convert-tile-to-llvm | FileCheck %s --check-prefix=RAW
// With the address arithmetic folded, the offsets themselves:
// RUN: tile-opt %s -split-input-file -tile-coalesce -tile-assign-layouts -convert-tile-to-llvm -canonicalize -cse | FileCheck %s

// An any of 512 booleans over 4 warps: one byte per warp, 4 in all. Lane 0
// of warp w stores its partial at byte w (an i1 once had 1/8 = 0 bytes per
// slot: every warp wrote byte 0, and byte 0 was read back four times).
// RAW-LABEL: llvm.func @any
// RAW-SAME: tile.shared_bytes = 4 : i32
// RAW-NOT: nvvm.barrier0
// RAW: scf.if
// RAW: arith.extui %{{.*}} : i1 to i8
// RAW-NEXT: llvm.store %{{.*}}, %{{.*}} : i8, !llvm.ptr<3>
// RAW-NOT: llvm.store
// RAW: nvvm.barrier0
// RAW-COUNT-4: llvm.load %{{.*}} : !llvm.ptr<3> -> i8
// RAW-NOT: llvm.load %{{.*}} : !llvm.ptr<3>
// CHECK-LABEL: llvm.func @any
// CHECK-SAME: tile.shared_bytes = 4 : i32
// CHECK: %[[WARPID:.+]] = arith.shrui %{{.*}}, %c5_i32 : i32
// CHECK: %[[WARP:.+]] = arith.remui %[[WARPID]], %c4_i32 : i32
// CHECK-NOT: nvvm.barrier0
// CHECK: scf.if
// CHECK-NEXT: %[[SLOT:.+]] = llvm.getelementptr %[[SMEM:.+]][%[[WARP]]] : (!llvm.ptr<3>, i32) -> !llvm.ptr<3>, i8
// CHECK-NEXT: %[[BYTE:.+]] = arith.extui %{{.*}} : i1 to i8
// CHECK-NEXT: llvm.store %[[BYTE]], %[[SLOT]] : i8, !llvm.ptr<3>
// CHECK: nvvm.barrier0
// CHECK-NEXT: %[[B0:.+]] = llvm.load %[[SMEM]] : !llvm.ptr<3> -> i8
// CHECK-NEXT: %[[P0:.+]] = arith.trunci %[[B0]] : i8 to i1
// CHECK-NEXT: %[[A1:.+]] = llvm.getelementptr %[[SMEM]][1] : (!llvm.ptr<3>) -> !llvm.ptr<3>, i8
// CHECK-NEXT: %[[B1:.+]] = llvm.load %[[A1]] : !llvm.ptr<3> -> i8
// CHECK-NEXT: %[[P1:.+]] = arith.trunci %[[B1]] : i8 to i1
// CHECK-NEXT: %[[R1:.+]] = arith.ori %[[P0]], %[[P1]] : i1
// CHECK-NEXT: %[[A2:.+]] = llvm.getelementptr %[[SMEM]][2] : (!llvm.ptr<3>) -> !llvm.ptr<3>, i8
// CHECK-NEXT: %[[B2:.+]] = llvm.load %[[A2]] : !llvm.ptr<3> -> i8
// CHECK-NEXT: %[[P2:.+]] = arith.trunci %[[B2]] : i8 to i1
// CHECK-NEXT: %[[R2:.+]] = arith.ori %[[R1]], %[[P2]] : i1
// CHECK-NEXT: %[[A3:.+]] = llvm.getelementptr %[[SMEM]][3] : (!llvm.ptr<3>) -> !llvm.ptr<3>, i8
// CHECK-NEXT: %[[B3:.+]] = llvm.load %[[A3]] : !llvm.ptr<3> -> i8
// CHECK-NEXT: %[[P3:.+]] = arith.trunci %[[B3]] : i8 to i1
// CHECK-NEXT: arith.ori %[[R2]], %[[P3]] : i1
// CHECK-NOT: llvm.load %{{.*}} : !llvm.ptr<3>
func.func @any(%p: !tile.ptr<i32> {tile.divisibility = 16 : i32}, %out: !tile.ptr<i8>) {
  %r = tile.make_range {end = 512 : i32, start = 0 : i32} : tensor<512xi32>
  %s = tile.splat %p : !tile.ptr<i32> -> tensor<512x!tile.ptr<i32>>
  %a = tile.addptr %s, %r : tensor<512x!tile.ptr<i32>>, tensor<512xi32>
  %x = tile.load %a : tensor<512x!tile.ptr<i32>>
  %zero = arith.constant dense<0> : tensor<512xi32>
  %b = arith.cmpi sgt, %x, %zero : tensor<512xi32>
  %any = tile.reduce %b axis = 0 : (tensor<512xi1>) -> i1 {
  ^bb0(%u: i1, %v: i1):
    %w = arith.ori %u, %v : i1
    tile.reduce.return %w : i1
  }
  %any8 = arith.extui %any : i1 to i8
  tile.store %out, %any8 : !tile.ptr<i8>
  return
}

// -----

// A boolean and an f32 reduced together over 2 warps: the i1 region is bytes
// 0 and 1, the f32 region starts at the next multiple of 4 (bytes 4 to 11),
// 12 bytes in all.
// RAW-LABEL: llvm.func @first_positive
// CHECK-LABEL: llvm.func @first_positive
// CHECK-SAME: tile.shared_bytes = 12 : i32
// CHECK: %[[WARPID:.+]] = arith.shrui %{{.*}}, %c5_i32 : i32
// CHECK: %[[WARP:.+]] = arith.remui %[[WARPID]], %c2_i32 : i32
// CHECK: scf.if
// CHECK-NEXT: %[[SLOT:.+]] = llvm.getelementptr %[[SMEM:.+]][%[[WARP]]] : (!llvm.ptr<3>, i32) -> !llvm.ptr<3>, i8
// CHECK-NEXT: %[[BYTE:.+]] = arith.extui %{{.*}} : i1 to i8
// CHECK-NEXT: llvm.store %[[BYTE]], %[[SLOT]] : i8, !llvm.ptr<3>
// CHECK-NEXT: %[[TIMES4:.+]] = arith.muli %[[WARP]], %c4_i32 : i32
// CHECK-NEXT: %[[PLUS4:.+]] = arith.addi %[[TIMES4]], %c4_i32 : i32
// CHECK-NEXT: %[[FSLOT:.+]] = llvm.getelementptr %[[SMEM]][%[[PLUS4]]] : (!llvm.ptr<3>, i32) -> !llvm.ptr<3>, i8
// CHECK-NEXT: llvm.store %{{.*}}, %[[FSLOT]] : f32, !llvm.ptr<3>
// CHECK: nvvm.barrier0
// CHECK-NEXT: llvm.load %[[SMEM]] : !llvm.ptr<3> -> i8
// CHECK-NEXT: arith.trunci
// CHECK-NEXT: %[[F0:.+]] = llvm.getelementptr %[[SMEM]][4] : (!llvm.ptr<3>) -> !llvm.ptr<3>, i8
// CHECK-NEXT: llvm.load %[[F0]] : !llvm.ptr<3> -> f32
// CHECK-NEXT: %[[B1:.+]] = llvm.getelementptr %[[SMEM]][1] : (!llvm.ptr<3>) -> !llvm.ptr<3>, i8
// CHECK-NEXT: llvm.load %[[B1]] : !llvm.ptr<3> -> i8
// CHECK-NEXT: arith.trunci
// CHECK-NEXT: %[[F1:.+]] = llvm.getelementptr %[[SMEM]][8] : (!llvm.ptr<3>) -> !llvm.ptr<3>, i8
// CHECK-NEXT: llvm.load %[[F1]] : !llvm.ptr<3> -> f32
// CHECK-NOT: llvm.load %{{.*}} : !llvm.ptr<3>
module attributes {tile.num_warps = 2 : i32} {
func.func @first_positive(%p: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %out: !tile.ptr<f32>) {
  %r = tile.make_range {end = 256 : i32, start = 0 : i32} : tensor<256xi32>
  %s = tile.splat %p : !tile.ptr<f32> -> tensor<256x!tile.ptr<f32>>
  %a = tile.addptr %s, %r : tensor<256x!tile.ptr<f32>>, tensor<256xi32>
  %x = tile.load %a : tensor<256x!tile.ptr<f32>>
  %zero = arith.constant dense<0.0> : tensor<256xf32>
  %b = arith.cmpf ogt, %x, %zero : tensor<256xf32>
  %any, %v = tile.reduce %b, %x axis = 0 : (tensor<256xi1>, tensor<256xf32>) -> (i1, f32) {
  ^bb0(%u: i1, %uv: f32, %w: i1, %wv: f32):
    %o = arith.ori %u, %w : i1
    %m = arith.select %u, %uv, %wv : f32
    tile.reduce.return %o, %m : i1, f32
  }
  %z = arith.constant 0.0 : f32
  %res = arith.select %any, %v, %z : f32
  tile.store %out, %res : !tile.ptr<f32>
  return
}
}

// -----

// A 4-bit integer (no whole byte either) also gets a byte per warp.
// RAW-LABEL: llvm.func @max_nibble
// CHECK-LABEL: llvm.func @max_nibble
// CHECK-SAME: tile.shared_bytes = 4 : i32
// CHECK: %[[WARPID:.+]] = arith.shrui %{{.*}}, %c5_i32 : i32
// CHECK: %[[WARP:.+]] = arith.remui %[[WARPID]], %c4_i32 : i32
// CHECK: scf.if
// CHECK-NEXT: %[[SLOT:.+]] = llvm.getelementptr %[[SMEM:.+]][%[[WARP]]] : (!llvm.ptr<3>, i32) -> !llvm.ptr<3>, i8
// CHECK-NEXT: arith.extui %{{.*}} : i4 to i8
// CHECK-NEXT: llvm.store %{{.*}}, %[[SLOT]] : i8, !llvm.ptr<3>
// CHECK: llvm.getelementptr %[[SMEM]][3] : (!llvm.ptr<3>) -> !llvm.ptr<3>, i8
// CHECK-NEXT: llvm.load %{{.*}} : !llvm.ptr<3> -> i8
// CHECK-NEXT: arith.trunci %{{.*}} : i8 to i4
func.func @max_nibble(%p: !tile.ptr<i32> {tile.divisibility = 16 : i32}, %out: !tile.ptr<i8>) {
  %r = tile.make_range {end = 512 : i32, start = 0 : i32} : tensor<512xi32>
  %s = tile.splat %p : !tile.ptr<i32> -> tensor<512x!tile.ptr<i32>>
  %a = tile.addptr %s, %r : tensor<512x!tile.ptr<i32>>, tensor<512xi32>
  %x = tile.load %a : tensor<512x!tile.ptr<i32>>
  %n = arith.trunci %x : tensor<512xi32> to tensor<512xi4>
  %m = tile.reduce %n axis = 0 : (tensor<512xi4>) -> i4 {
  ^bb0(%u: i4, %v: i4):
    %w = arith.maxui %u, %v : i4
    tile.reduce.return %w : i4
  }
  %m8 = arith.extui %m : i4 to i8
  tile.store %out, %m8 : !tile.ptr<i8>
  return
}
