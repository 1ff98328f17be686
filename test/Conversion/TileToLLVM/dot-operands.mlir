// Operands reach mma.sync through swizzled shared memory: the source stores
// whole 16-byte vectors (or cp.async copies them, in a pipelined K loop),
// ldmatrix reads four 8x8 matrices per instruction
// (.trans for a row-major b, whose rows run along N). The
// kernels are the DSL matmul's, whose rows are 16-byte aligned
// (divisibility).

// 128x128x32 f16 on 8 warps: 16-byte global loads and shared stores,
// ldmatrix x4 for a, ldmatrix x4 .trans (col) for b.
// RUN: tile-compile matmul --param block_m=128 --param block_n=128 --param num_warps=8 --param divisibility=8 --param num_stages=1 --emit mlir -o - | FileCheck %s --check-prefix=F16
// F16-LABEL: llvm.func @matmul
// F16: llvm.store %{{.*}}, %{{.*}} {alignment = 16 : i64} : vector<8xf16>, !llvm.ptr<3>
// F16: nvvm.ldmatrix %{{.*}} {eltType = #nvvm.ld_st_matrix_elt_type<b16>, layout = #nvvm.mma_layout<row>, num = 4 : i32, shape = #nvvm.ld_st_matrix_shape<m = 8, n = 8>}
// F16: llvm.store %{{.*}}, %{{.*}} {alignment = 16 : i64} : vector<8xf16>, !llvm.ptr<3>
// F16: nvvm.ldmatrix %{{.*}} {eltType = #nvvm.ld_st_matrix_elt_type<b16>, layout = #nvvm.mma_layout<col>, num = 4 : i32, shape = #nvvm.ld_st_matrix_shape<m = 8, n = 8>}
// F16: mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32
// The K loop is pipelined (tile-pipeline): the operands arrive by cp.async
// 16 bytes at a time, two tiles ahead.
// RUN: tile-compile matmul --param block_m=128 --param block_n=128 --param num_warps=8 --param divisibility=8 --emit ptx -o - | FileCheck %s --check-prefix=F16PTX
// F16PTX: cp.async.cg.shared.global [{{.*}}], [{{.*}}], 16, {{.*}};
// F16PTX: cp.async.commit_group
// Each operand's load takes a layout of its own access (tile-coalesce), so
// the 128x32 a tile is not spread over b's wider layout: no thread holds a
// copy of another's chunk (async-copy.mlir shows the predicate where one
// does).
// F16PTX: cp.async.wait_group 1
// F16PTX: ldmatrix.sync.aligned.m8n8.x4.shared.b16
// F16PTX: ldmatrix.sync.aligned.m8n8.x4.trans.shared.b16
// F16PTX: mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32

// int8 native (kWidth 4): a's 16-byte rows go as one vector; b is stored
// K-contiguous (ldmatrix has no 8-bit .trans on sm_90), then both are read
// with non-transposed ldmatrix.
// RUN: tile-compile matmul --param a=int8 --param acc=i32 --param precision=native --param block_k=64 --param divisibility=16 --param num_stages=1 --emit mlir -o - | FileCheck %s --check-prefix=I8
// I8: llvm.store %{{.*}}, %{{.*}} {alignment = 16 : i64} : vector<16xi8>, !llvm.ptr<3>
// I8-COUNT-2: nvvm.ldmatrix %{{.*}}layout = #nvvm.mma_layout<row>
// I8-NOT: mma_layout<col>
// I8: mma.sync.aligned.m16n8k32.row.col.s32.s8.s8.s32
// Pipelined, a arrives by cp.async; b, stored transposed (K-contiguous) from
// registers, cannot be copied 16 bytes at a time and stays a load.
// RUN: tile-compile matmul --param a=int8 --param acc=i32 --param precision=native --param block_k=64 --param divisibility=16 --emit mlir -o - | FileCheck %s --check-prefix=I8PIPE
// I8PIPE: nvvm.cp.async.shared.global
// I8PIPE: nvvm.cp.async.wait.group 1
// I8PIPE: nvvm.ldmatrix
// I8PIPE: llvm.store {{.*}} : i8, !llvm.ptr<3>
// I8PIPE: mma.sync.aligned.m16n8k32.row.col.s32.s8.s8.s32

// f16_exact reads its int8 as native does (kWidth 4, ldmatrix), widens them
// to f16 in registers and runs two m16n8k16 steps per 32 of K. The widening
// takes a pair of bytes of an ldmatrix word at a time, with no conversion
// instruction: xor 0x80 (per word), a prmt into the significands of two
// 1024.0s, one f16x2 subtraction of 1152.0.
// RUN: tile-compile matmul --param a=int8 --param acc=i32 --param precision=f16_exact --param block_k=64 --param divisibility=16 --param num_stages=1 --emit mlir -o - | FileCheck %s --check-prefix=EXACT
// EXACT: nvvm.ldmatrix %{{.*}}layout = #nvvm.mma_layout<row>
// EXACT: "prmt.b32 $0, $1, $2, 0x4140;"
// EXACT: llvm.fsub %{{.*}} : vector<2xf16>
// EXACT-NOT: sitofp
// EXACT: mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32
// RUN: tile-compile matmul --param a=int8 --param acc=i32 --param precision=f16_exact --param block_k=64 --param divisibility=16 --param num_stages=1 --emit ptx -o - | FileCheck %s --check-prefix=EXACTPTX
// EXACTPTX: xor.b32 %r{{[0-9]+}}, %r{{[0-9]+}}, -2139062144;
// EXACTPTX: prmt.b32 %r{{[0-9]+}}, %r{{[0-9]+}}, %r{{[0-9]+}}, 0x4140;
// EXACTPTX: prmt.b32 %r{{[0-9]+}}, %r{{[0-9]+}}, %r{{[0-9]+}}, 0x4342;
// EXACTPTX: add.rn.f16x2
// EXACTPTX-NOT: cvt.rn.f16.s16
// EXACTPTX: mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32
