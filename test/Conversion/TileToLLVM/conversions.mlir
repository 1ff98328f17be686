// fp_to_fp and fp_to_int: hardware conversions where the target has them,
// integer arithmetic where it does not.
// RUN: tile-opt %s -split-input-file -tile-coalesce -tile-assign-layouts -convert-tile-to-llvm | FileCheck %s --check-prefixes=CHECK,SM90
// RUN: tile-opt %s -split-input-file -tile-coalesce -tile-assign-layouts -convert-tile-to-llvm=target=sm_80 | FileCheck %s --check-prefixes=CHECK,SM80

// fp8, saturating: two values per cvt on sm_89+, the first operand in the
// upper byte; sm_80 has no such instruction and rounds with integer ops
// (2^-9 steps for subnormals, the 0x7e cap).
// CHECK-LABEL: llvm.func @to_fp8
// SM90: llvm.inline_asm asm_dialect = att "cvt.rn.satfinite.e4m3x2.f32 $0, $1, $2;", "=h,f,f" %[[HI:.+]], %[[LO:.+]] : (f32, f32) -> i16
// SM90: llvm.bitcast %{{.*}} : i16 to vector<2xi8>
// SM80-NOT: cvt.rn.satfinite
// SM80: arith.constant 5.120000e+02 : f32
// SM80: math.roundeven
// SM80: arith.constant 126 : i32
func.func @to_fp8(%p: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %q: !tile.ptr<f8E4M3FN> {tile.divisibility = 16 : i32}) {
  %r = tile.make_range {end = 512 : i32, start = 0 : i32} : tensor<512xi32>
  %s = tile.splat %p : !tile.ptr<f32> -> tensor<512x!tile.ptr<f32>>
  %a = tile.addptr %s, %r : tensor<512x!tile.ptr<f32>>, tensor<512xi32>
  %x = tile.load %a : tensor<512x!tile.ptr<f32>>
  %y = tile.fp_to_fp %x, rounding = rtne, saturate : tensor<512xf32> -> tensor<512xf8E4M3FN>
  %t = tile.splat %q : !tile.ptr<f8E4M3FN> -> tensor<512x!tile.ptr<f8E4M3FN>>
  %b = tile.addptr %t, %r : tensor<512x!tile.ptr<f8E4M3FN>>, tensor<512xi32>
  tile.store %b, %y : tensor<512x!tile.ptr<f8E4M3FN>>
  return
}

// -----

// fp8 widened: two bytes per cvt to f16x2 on sm_89+ (the first element in
// the low byte and the low half), each half then widened to f32; sm_80
// rebuilds the f32's bits (exponent rebiased 7 -> 127).
// CHECK-LABEL: llvm.func @from_fp8
// SM90: llvm.shl %{{.*}}, %{{.*}} : i16
// SM90: llvm.inline_asm asm_dialect = att "cvt.rn.f16x2.e4m3x2 $0, $1;", "=r,h" %{{.*}} : (i16) -> i32
// SM90: llvm.bitcast %{{.*}} : i32 to vector<2xf16>
// SM90: arith.extf %{{.*}} : f16 to f32
// SM80-NOT: cvt.rn.f16x2.e4m3x2
// SM80: arith.constant 120 : i32
func.func @from_fp8(%p: !tile.ptr<f8E4M3FN> {tile.divisibility = 16 : i32}, %q: !tile.ptr<f32> {tile.divisibility = 16 : i32}) {
  %r = tile.make_range {end = 512 : i32, start = 0 : i32} : tensor<512xi32>
  %s = tile.splat %p : !tile.ptr<f8E4M3FN> -> tensor<512x!tile.ptr<f8E4M3FN>>
  %a = tile.addptr %s, %r : tensor<512x!tile.ptr<f8E4M3FN>>, tensor<512xi32>
  %x = tile.load %a : tensor<512x!tile.ptr<f8E4M3FN>>
  %y = tile.fp_to_fp %x : tensor<512xf8E4M3FN> -> tensor<512xf32>
  %t = tile.splat %q : !tile.ptr<f32> -> tensor<512x!tile.ptr<f32>>
  %b = tile.addptr %t, %r : tensor<512x!tile.ptr<f32>>, tensor<512xi32>
  tile.store %b, %y : tensor<512x!tile.ptr<f32>>
  return
}

// -----

// Saturating int8: cvt.rni.sat.s8.f32 (nearest even), cvt.rzi (toward
// zero), llvm.round then cvt.rzi (half away from zero).
// CHECK-LABEL: llvm.func @to_int8
// CHECK: "cvt.rni.sat.s8.f32 $0, $1;", "=r,f"
// CHECK: arith.trunci %{{.*}} : i32 to i8
// CHECK: "cvt.rzi.sat.s8.f32 $0, $1;", "=r,f"
// CHECK: llvm.intr.round(%{{.*}}) : (f32) -> f32
// CHECK: "cvt.rzi.sat.s8.f32 $0, $1;", "=r,f"
func.func @to_int8(%v: f32, %q: !tile.ptr<i8>) {
  %e = tile.fp_to_int %v, rounding = rtne : f32 -> i8
  %z = tile.fp_to_int %v, rounding = rtz : f32 -> i8
  %a = tile.fp_to_int %v, rounding = rna : f32 -> i8
  %s1 = arith.addi %e, %z : i8
  %s2 = arith.addi %s1, %a : i8
  tile.store %q, %s2 : !tile.ptr<i8>
  return
}

// -----

// e2m1 has no instruction before sm_100: a = min(|x|, 6) (NaN made 0 by
// maxnum), three candidate codes each rounded by one FMA that adds 1.5 * 2^23
// (+2, +4), their minimum's low 3 bits, the sign bit or'ed in; no integer
// rounding and no comparison.
// CHECK-LABEL: llvm.func @to_e2m1
// CHECK: %[[M:.+]] = arith.maxnumf %{{.*}}, %{{.*}} : f32
// CHECK: %[[A:.+]] = arith.minnumf %[[M]], %{{.*}} : f32
// CHECK: math.fma %[[A]], %{{.*}}, %{{.*}} : f32
// CHECK: arith.addf %[[A]], %{{.*}} : f32
// CHECK: math.fma %[[A]], %{{.*}}, %{{.*}} : f32
// CHECK: arith.minnumf
// CHECK: arith.minnumf
// CHECK-NOT: arith.cmpf
// CHECK: arith.andi %{{.*}}, %c7_i32 : i32
// CHECK: arith.trunci %{{.*}} : i32 to i4
func.func @to_e2m1(%v: f32, %q: !tile.ptr<f32>) {
  %c = tile.fp_to_fp %v, rounding = rtne, saturate : f32 -> f4E2M1FN
  %w = tile.fp_to_fp %c : f4E2M1FN -> f32
  tile.store %q, %w : !tile.ptr<f32>
  return
}

// -----

// fp_to_e2m1x2: a thread's four pairs to one word. Per pair the odd
// element's magnitude code goes above the even one's (shift and add), byte
// permutes gather the code bytes (0x40, then 0x5410) and the signs (0xfb:
// byte 3's top bit replicated), two masks put the signs at bits 3 and 7.
// CHECK-LABEL: llvm.func @to_e2m1x2
// CHECK-COUNT-4: arith.shli %{{.*}}, %c4_i32{{.*}} : i32
// CHECK-COUNT-2: nvvm.prmt <default> %c64_i32
// CHECK: nvvm.prmt <default> %c21520_i32
// CHECK-COUNT-2: nvvm.prmt <default> %c251_i32
// CHECK: nvvm.prmt <default> %c21520_i32
// CHECK-COUNT-2: nvvm.prmt <default> %c251_i32
// CHECK: nvvm.prmt <default> %c21520_i32
// CHECK: arith.andi %{{.*}}, %c134744072_i32 : i32
// CHECK: arith.andi %{{.*}}, %c-2139062144_i32 : i32
// CHECK: llvm.bitcast %{{.*}} : i32 to vector<4xi8>
// CHECK-NOT: nvvm.prmt
func.func @to_e2m1x2(%p: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %q: !tile.ptr<i8> {tile.divisibility = 16 : i32}) {
  %r = tile.make_range {end = 1024 : i32, start = 0 : i32} : tensor<1024xi32>
  %s = tile.splat %p : !tile.ptr<f32> -> tensor<1024x!tile.ptr<f32>>
  %a = tile.addptr %s, %r : tensor<1024x!tile.ptr<f32>>, tensor<1024xi32>
  %x = tile.load %a : tensor<1024x!tile.ptr<f32>>
  %y = tile.fp_to_e2m1x2 %x : tensor<1024xf32> -> tensor<512xi8>
  %h = tile.make_range {end = 512 : i32, start = 0 : i32} : tensor<512xi32>
  %t = tile.splat %q : !tile.ptr<i8> -> tensor<512x!tile.ptr<i8>>
  %b = tile.addptr %t, %h : tensor<512x!tile.ptr<i8>>, tensor<512xi32>
  tile.store %b, %y : tensor<512x!tile.ptr<i8>>
  return
}
