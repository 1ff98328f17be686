// A sum of booleans (an extui of an i1, or select(p, 1, 0)), one a thread,
// across lanes: one vote.sync.ballot and a popc under the lane group's mask
// instead of a shuffle butterfly. count_above.mlir sums along the lowest lane
// bits (8 lanes: the mask 0xff shifted by lane & ~7) and along lane bits 3-4
// (4 lanes: 0x01010101 shifted by lane & ~24).
// RUN: tile-opt %tile_src_root/kernels/examples/count_above.mlir -convert-tile-to-llvm | FileCheck %s
// CHECK-LABEL: llvm.func @count_above
// CHECK-NOT: nvvm.shfl.sync
// CHECK: %[[BASE_ROW:.+]] = arith.andi %{{.*}}, %c-8_i32 : i32
// CHECK: %[[MASK_ROW:.+]] = arith.shli %c255_i32, %[[BASE_ROW]] : i32
// CHECK: %[[B_ROW:.+]] = nvvm.vote.sync {{ *}}ballot %c-1_i32{{.*}}, %[[P:.+]] -> i32
// CHECK: %[[M_ROW:.+]] = arith.andi %[[B_ROW]], %[[MASK_ROW]] : i32
// CHECK: llvm.intr.ctpop(%[[M_ROW]]) : (i32) -> i32
// CHECK: %[[BASE_COL:.+]] = arith.andi %{{.*}}, %c-25_i32 : i32
// CHECK: %[[MASK_COL:.+]] = arith.shli %c16843009_i32, %[[BASE_COL]] : i32
// CHECK: %[[B_COL:.+]] = nvvm.vote.sync {{ *}}ballot %c-1_i32{{.*}}, %[[P]] -> i32
// CHECK: %[[M_COL:.+]] = arith.andi %[[B_COL]], %[[MASK_COL]] : i32
// CHECK: llvm.intr.ctpop(%[[M_COL]]) : (i32) -> i32
// CHECK-NOT: nvvm.shfl.sync
