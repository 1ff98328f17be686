// An i64 product of two non-constant i32 values widened with their sign
// (a 64-bit row base: row * stride) is one mul.wide.s32 in the PTX, also
// where LLVM has made the program id's extension `zext nneg` (it knows the id
// is non-negative) and the backend then made a 64 x 64-bit mul.lo.s64
// (formWideMultiplies, lib/Pipeline/WideMultiply.cpp). A product of two
// zero extensions, one with a constant and one of i64 values stay LLVM
// multiplies.
// RUN: tile-compile %s --emit llvm -o - | FileCheck %s
// RUN: tile-compile %s --emit ptx -o - | FileCheck %s --check-prefix=PTX

// CHECK-LABEL: define ptx_kernel void @row_bases
// CHECK: %[[PID:.+]] = tail call {{.*}}i32 @llvm.nvvm.read.ptx.sreg.ctaid.x()
// CHECK: call i64 asm "mul.wide.s32 $0, $1, $2;", "=l,r,r"(i32 %1, i32 %[[PID]]) #[[PURE:[0-9]+]]
// CHECK: call i64 asm "mul.wide.s32 $0, $1, $2;", "=l,r,r"(i32 %1, i32 %{{.+}}) #[[PURE]]
// CHECK-NOT: asm "mul.wide
// CHECK: attributes #[[PURE]] = { nounwind memory(none) }
// In the PTX, the stride (parameter 1) times the program id and times a row
// of the tile; then what the backend forms itself.
// PTX-LABEL: .entry row_bases(
// PTX: ld.param.b32 %r[[S:[0-9]+]], [row_bases_param_1];
// PTX: mov.u32 %r[[P:[0-9]+]], %ctaid.x;
// PTX: mul.wide.s32 %rd{{[0-9]+}}, %r[[S]], %r[[P]];
// PTX: mul.wide.s32 %rd{{[0-9]+}}, %r[[S]], %r{{[0-9]+}};
// PTX: mul.wide.u32 %rd{{[0-9]+}}, %r[[U:[0-9]+]], %r[[U]];
// PTX: mul.lo.s64
// PTX: mul.wide.s32 %rd{{[0-9]+}}, %r[[S]], 12;
func.func @row_bases(%x: !tile.ptr<f32> {tile.divisibility = 16 : i32},
                     %stride: i32, %u: i32, %wide: i64) {
  %pid = tile.program_id x : i32
  %p64 = arith.extsi %pid : i32 to i64
  %s64 = arith.extsi %stride : i32 to i64
  // Scalar: the program's row base.
  %base = arith.muli %p64, %s64 : i64
  %row = tile.addptr %x, %base : !tile.ptr<f32>, i64
  // A tile of 4 rows, each the range's element times the stride.
  %r = tile.make_range {end = 4 : i32, start = 0 : i32} : tensor<4xi32>
  %r64 = arith.extsi %r : tensor<4xi32> to tensor<4xi64>
  %st = tile.splat %s64 : i64 -> tensor<4xi64>
  %offs = arith.muli %r64, %st : tensor<4xi64>
  %rowt = tile.splat %row : !tile.ptr<f32> -> tensor<4x!tile.ptr<f32>>
  %ptrs = tile.addptr %rowt, %offs : tensor<4x!tile.ptr<f32>>, tensor<4xi64>
  %v = tile.load %ptrs : tensor<4x!tile.ptr<f32>>
  // Left to LLVM: a constant factor, zero extensions, i64 operands.
  %c3 = arith.constant 3 : i64
  %k = arith.muli %s64, %c3 : i64
  %u64 = arith.extui %u : i32 to i64
  %z = arith.muli %u64, %u64 : i64
  %w = arith.muli %wide, %s64 : i64
  %o1 = arith.addi %k, %z : i64
  %o2 = arith.addi %o1, %w : i64
  %dst = tile.addptr %x, %o2 : !tile.ptr<f32>, i64
  %dt = tile.splat %dst : !tile.ptr<f32> -> tensor<4x!tile.ptr<f32>>
  %dp = tile.addptr %dt, %r : tensor<4x!tile.ptr<f32>>, tensor<4xi32>
  tile.store %dp, %v : tensor<4x!tile.ptr<f32>>
  return
}
