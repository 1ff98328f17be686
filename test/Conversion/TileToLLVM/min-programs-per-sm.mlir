// `tile.min_programs_per_sm` becomes the kernel's `nvvm.minctasm` (PTX
// `.minnctapersm`, ptxas's bound on registers); the pass option sets or
// overrides it; without either the kernel has no bound.
// RUN: tile-opt %s -split-input-file -tile-coalesce -tile-assign-layouts -convert-tile-to-llvm | FileCheck %s
// RUN: tile-opt %s -split-input-file -tile-coalesce -tile-assign-layouts -convert-tile-to-llvm=min-programs-per-sm=2 | FileCheck %s --check-prefix=OPTION
// RUN: not tile-opt %s -split-input-file -tile-coalesce -tile-assign-layouts -convert-tile-to-llvm=min-programs-per-sm=33 2>&1 | FileCheck %s --check-prefix=BAD
// More threads than the SM holds (128 a program): refused, naming the GPU.
// RUN: not tile-opt %s -split-input-file -tile-coalesce -tile-assign-layouts -convert-tile-to-llvm=min-programs-per-sm=17 2>&1 | FileCheck %s --check-prefix=TOO-MANY
// TOO-MANY: tile.min_programs_per_sm = 17 with 128 threads a program asks an SM for 2176 threads; sm_90a holds at most 2048 threads and 32 programs
// RUN: not tile-opt %s -split-input-file -tile-coalesce -tile-assign-layouts "-convert-tile-to-llvm=min-programs-per-sm=13 target=sm_86" 2>&1 | FileCheck %s --check-prefix=TOO-MANY-86
// TOO-MANY-86: asks an SM for 1664 threads; sm_86 holds at most 1536 threads and 16 programs
// RUN: tile-opt %s -split-input-file -tile-coalesce -tile-assign-layouts "-convert-tile-to-llvm=min-programs-per-sm=16 target=sm_90a" | FileCheck %s --check-prefix=FULL
// FULL: nvvm.minctasm = 16 : i32

// CHECK-LABEL: llvm.func @bounded
// CHECK-SAME: nvvm.minctasm = 3 : i32
// CHECK-SAME: nvvm.reqntid = array<i32: 128, 1, 1>
// OPTION-LABEL: llvm.func @bounded
// OPTION-SAME: nvvm.minctasm = 2 : i32
// BAD: min-programs-per-sm must be from 1 to 32, got 33
module attributes {tile.min_programs_per_sm = 3 : i32} {
func.func @bounded(%p: !tile.ptr<f32> {tile.divisibility = 16 : i32}) {
  %r = tile.make_range {end = 512 : i32, start = 0 : i32} : tensor<512xi32>
  %s = tile.splat %p : !tile.ptr<f32> -> tensor<512x!tile.ptr<f32>>
  %a = tile.addptr %s, %r : tensor<512x!tile.ptr<f32>>, tensor<512xi32>
  %x = tile.load %a : tensor<512x!tile.ptr<f32>>
  tile.store %a, %x : tensor<512x!tile.ptr<f32>>
  return
}
}

// -----

// CHECK-LABEL: llvm.func @unbounded
// CHECK-NOT: nvvm.minctasm
// CHECK-SAME: nvvm.reqntid
// OPTION-LABEL: llvm.func @unbounded
// OPTION-SAME: nvvm.minctasm = 2 : i32
func.func @unbounded(%p: !tile.ptr<f32> {tile.divisibility = 16 : i32}) {
  %r = tile.make_range {end = 512 : i32, start = 0 : i32} : tensor<512xi32>
  %s = tile.splat %p : !tile.ptr<f32> -> tensor<512x!tile.ptr<f32>>
  %a = tile.addptr %s, %r : tensor<512x!tile.ptr<f32>>, tensor<512xi32>
  %x = tile.load %a : tensor<512x!tile.ptr<f32>>
  tile.store %a, %x : tensor<512x!tile.ptr<f32>>
  return
}
