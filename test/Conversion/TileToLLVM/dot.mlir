// tile.dot with tensor-core layouts becomes mma.sync, one per m16n8 tile of
// the thread's warp and K step, with the accumulator tied to the result.
// RUN: tile-opt %s -split-input-file -tile-coalesce -tile-assign-layouts -tile-accelerate-matmul -convert-tile-to-llvm | FileCheck %s

// 32x32x32 f16 on 4 warps (2x2): each warp owns a 16x16 tile, two n8 tiles,
// two k16 steps: 4 mma.sync.
// CHECK-LABEL: llvm.func @f16_f32
// CHECK-COUNT-4: llvm.inline_asm {{.*}}"mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32 {$0, $1, $2, $3}, {$4, $5, $6, $7}, {$8, $9}, {$10, $11, $12, $13};", "=f,=f,=f,=f,r,r,r,r,r,r,0,1,2,3"
// CHECK-NOT: mma.sync
// CHECK: llvm.return
module attributes {tile.num_warps = 4 : i32} {
func.func @f16_f32(%a: !tile.ptr<f16> {tile.divisibility = 16 : i32}, %o: !tile.ptr<f32> {tile.divisibility = 16 : i32}) {
  %pa = tile.splat %a : !tile.ptr<f16> -> tensor<32x32x!tile.ptr<f16>>
  %x = tile.load %pa : tensor<32x32x!tile.ptr<f16>>
  %zero = arith.constant dense<0.0> : tensor<32x32xf32>
  %d = tile.dot %x, %x, %zero : tensor<32x32xf16> * tensor<32x32xf16> -> tensor<32x32xf32>
  %po = tile.splat %o : !tile.ptr<f32> -> tensor<32x32x!tile.ptr<f32>>
  tile.store %po, %d : tensor<32x32x!tile.ptr<f32>>
  return
}
}

// -----

// An f16 accumulator: c0c1 and c2c3 packed, two registers each way.
// CHECK-LABEL: llvm.func @f16_f16
// CHECK: llvm.inline_asm {{.*}}"mma.sync.aligned.m16n8k16.row.col.f16.f16.f16.f16 {$0, $1}, {$2, $3, $4, $5}, {$6, $7}, {$8, $9};", "=r,=r,r,r,r,r,r,r,0,1"
module attributes {tile.num_warps = 4 : i32} {
func.func @f16_f16(%a: !tile.ptr<f16> {tile.divisibility = 16 : i32}, %o: !tile.ptr<f16> {tile.divisibility = 16 : i32}) {
  %pa = tile.splat %a : !tile.ptr<f16> -> tensor<32x32x!tile.ptr<f16>>
  %x = tile.load %pa : tensor<32x32x!tile.ptr<f16>>
  %zero = arith.constant dense<0.0> : tensor<32x32xf16>
  %d = tile.dot %x, %x, %zero : tensor<32x32xf16> * tensor<32x32xf16> -> tensor<32x32xf16>
  %po = tile.splat %o : !tile.ptr<f16> -> tensor<32x32x!tile.ptr<f16>>
  tile.store %po, %d : tensor<32x32x!tile.ptr<f16>>
  return
}
}

// -----

// CHECK-LABEL: llvm.func @bf16
// CHECK: mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32
module attributes {tile.num_warps = 4 : i32} {
func.func @bf16(%a: !tile.ptr<bf16> {tile.divisibility = 16 : i32}, %o: !tile.ptr<f32> {tile.divisibility = 16 : i32}) {
  %pa = tile.splat %a : !tile.ptr<bf16> -> tensor<32x32x!tile.ptr<bf16>>
  %x = tile.load %pa : tensor<32x32x!tile.ptr<bf16>>
  %zero = arith.constant dense<0.0> : tensor<32x32xf32>
  %d = tile.dot %x, %x, %zero : tensor<32x32xbf16> * tensor<32x32xbf16> -> tensor<32x32xf32>
  %po = tile.splat %o : !tile.ptr<f32> -> tensor<32x32x!tile.ptr<f32>>
  tile.store %po, %d : tensor<32x32x!tile.ptr<f32>>
  return
}
}

// -----

// Native int8: m16n8k32, four int8 a register, no .satfinite (int32 wraps).
// CHECK-LABEL: llvm.func @int8_native
// CHECK: llvm.bitcast %{{.*}} : vector<4xi8> to i32
// CHECK: llvm.inline_asm {{.*}}"mma.sync.aligned.m16n8k32.row.col.s32.s8.s8.s32 {$0, $1, $2, $3}, {$4, $5, $6, $7}, {$8, $9}, {$10, $11, $12, $13};", "=r,=r,=r,=r,r,r,r,r,r,r,0,1,2,3"
// CHECK-NOT: satfinite
module attributes {tile.num_warps = 4 : i32} {
func.func @int8_native(%a: !tile.ptr<i8> {tile.divisibility = 16 : i32}, %o: !tile.ptr<i32> {tile.divisibility = 16 : i32}) {
  %pa = tile.splat %a : !tile.ptr<i8> -> tensor<32x32x!tile.ptr<i8>>
  %x = tile.load %pa : tensor<32x32x!tile.ptr<i8>>
  %zero = arith.constant dense<0> : tensor<32x32xi32>
  %d = tile.dot %x, %x, %zero, inputPrecision = native : tensor<32x32xi8> * tensor<32x32xi8> -> tensor<32x32xi32>
  %po = tile.splat %o : !tile.ptr<i32> -> tensor<32x32x!tile.ptr<i32>>
  tile.store %po, %d : tensor<32x32x!tile.ptr<i32>>
  return
}
}

// -----

// f16_exact into i32: int8 widened to f16 in registers (two bytes of a
// word placed in the significands of 1024.0s, 1152.0 subtracted), the dot's
// f32 sum from zero, converted to i32 and added to the accumulator.
// CHECK-LABEL: llvm.func @int8_f16_exact_i32
// CHECK: "prmt.b32 $0, $1, $2, 0x4140;"
// CHECK: llvm.fsub {{.*}} : vector<2xf16>
// CHECK: llvm.inline_asm {{.*}}"mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32
// CHECK: arith.fptosi %{{.*}} : f32 to i32
// CHECK: arith.addi
module attributes {tile.num_warps = 4 : i32} {
func.func @int8_f16_exact_i32(%a: !tile.ptr<i8> {tile.divisibility = 16 : i32}, %o: !tile.ptr<i32> {tile.divisibility = 16 : i32}) {
  %pa = tile.splat %a : !tile.ptr<i8> -> tensor<32x32x!tile.ptr<i8>>
  %x = tile.load %pa : tensor<32x32x!tile.ptr<i8>>
  %zero = arith.constant dense<0> : tensor<32x32xi32>
  %d = tile.dot %x, %x, %zero, inputPrecision = f16_exact : tensor<32x32xi8> * tensor<32x32xi8> -> tensor<32x32xi32>
  %po = tile.splat %o : !tile.ptr<i32> -> tensor<32x32x!tile.ptr<i32>>
  tile.store %po, %d : tensor<32x32x!tile.ptr<i32>>
  return
}
}
