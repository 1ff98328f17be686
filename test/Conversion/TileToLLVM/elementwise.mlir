// Elementwise ops on tiles become the same op on each of the thread's
// scalars; exp becomes ex2.approx.
// RUN: tile-opt %s -tile-coalesce -tile-assign-layouts -convert-tile-to-llvm | FileCheck %s

// 512 elements over 128 threads: 4 scalar ops of each kind per thread; exp
// multiplies by log2(e) first.
// CHECK-LABEL: llvm.func @exp_and_add
// CHECK-COUNT-4: arith.addf %{{.*}}, %{{.*}} : f32
// CHECK: arith.constant 1.44269502 : f32
// CHECK: llvm.inline_asm asm_dialect = att "ex2.approx.f32 $0, $1;", "=f,f"
// CHECK-NOT: math.exp
func.func @exp_and_add(%p: !tile.ptr<f32> {tile.divisibility = 16 : i32}) {
  %r = tile.make_range {end = 512 : i32, start = 0 : i32} : tensor<512xi32>
  %s = tile.splat %p : !tile.ptr<f32> -> tensor<512x!tile.ptr<f32>>
  %a = tile.addptr %s, %r : tensor<512x!tile.ptr<f32>>, tensor<512xi32>
  %x = tile.load %a : tensor<512x!tile.ptr<f32>>
  %y = arith.addf %x, %x : tensor<512xf32>
  %e = math.exp %y : tensor<512xf32>
  tile.store %a, %e : tensor<512x!tile.ptr<f32>>
  return
}
