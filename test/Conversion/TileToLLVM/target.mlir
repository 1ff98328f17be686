// The module's tile.target decides the lowering; the pass's target option,
// when given, sets it first.
// RUN: tile-opt %s -split-input-file -tile-coalesce -tile-assign-layouts -convert-tile-to-llvm | FileCheck %s --check-prefixes=CHECK,KEEP
// RUN: tile-opt %s -split-input-file -tile-coalesce -tile-assign-layouts -convert-tile-to-llvm=target=sm_90a | FileCheck %s --check-prefixes=CHECK,SET90A
// RUN: not tile-opt %s -split-input-file -tile-coalesce -tile-assign-layouts -convert-tile-to-llvm=target=sm_70 2>&1 | FileCheck %s --check-prefix=BAD

// An sm_80 module without the option: fp8 by integer arithmetic, and the
// attribute stays; with target=sm_90a it becomes cuda:90a and uses the cvt.
// BAD: target must be sm_90a, sm_90, sm_89, sm_86 or sm_80, got 'sm_70'
// KEEP: module attributes {tile.target = "cuda:80"}
// SET90A: module attributes {tile.target = "cuda:90a"}
// CHECK-LABEL: llvm.func @to_fp8
// sm_90 and later: the kernel waits for the previous one on the stream to
// complete before it touches memory (so that it may be launched with
// programmatic dependent launch), and triggers nothing early; sm_80 has no
// griddepcontrol.
// KEEP-NOT: nvvm.griddepcontrol
// SET90A-NOT: launch_dependents
// SET90A: nvvm.griddepcontrol wait
// SET90A-NOT: launch_dependents
// SET90A: ld.global
// KEEP-NOT: cvt.rn.satfinite
// KEEP: math.roundeven
// SET90A: "cvt.rn.satfinite.e4m3x2.f32 $0, $1, $2;"
module attributes {tile.target = "cuda:80"} {
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
}

// -----

// A module without tile.target lowers for the default, cuda:90a.
// CHECK-LABEL: llvm.func @default_target
// CHECK: nvvm.griddepcontrol wait
// KEEP: "cvt.rn.satfinite.e4m3x2.f32 $0, $1, $2;"
// SET90A: "cvt.rn.satfinite.e4m3x2.f32 $0, $1, $2;"
func.func @default_target(%v: f32, %q: !tile.ptr<f8E4M3FN>) {
  %s = tile.splat %v : f32 -> tensor<2xf32>
  %y = tile.fp_to_fp %s, rounding = rtne, saturate : tensor<2xf32> -> tensor<2xf8E4M3FN>
  %r = tile.make_range {end = 2 : i32, start = 0 : i32} : tensor<2xi32>
  %t = tile.splat %q : !tile.ptr<f8E4M3FN> -> tensor<2x!tile.ptr<f8E4M3FN>>
  %b = tile.addptr %t, %r : tensor<2x!tile.ptr<f8E4M3FN>>, tensor<2xi32>
  tile.store %b, %y : tensor<2x!tile.ptr<f8E4M3FN>>
  return
}
