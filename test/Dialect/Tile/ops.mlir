// Every tile op and attribute value, printed, parsed back and printed again;
// then the same through the generic form.
// RUN: tile-opt %s | tile-opt | FileCheck %s
// RUN: tile-opt %s --mlir-print-op-generic | tile-opt | FileCheck %s

// The layouts of @layouts below, printed as aliases first.
// CHECK-DAG: #blocked{{[0-9]*}} = #tile.blocked<sizePerThread = [1, 4], threadsPerWarp = [2, 16], warpsPerCTA = [4, 1], order = [1, 0]>
// CHECK-DAG: #blocked{{[0-9]*}} = #tile.blocked<sizePerThread = [2], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]>
// CHECK-DAG: #slice = #tile.slice<dim = 1, parent = #blocked{{[0-9]*}}>

// Module and argument attributes the dialect understands.
// CHECK: module attributes {tile.num_warps = 4 : i32, tile.target = "cuda:90a"}
module attributes {tile.num_warps = 4 : i32, tile.target = "cuda:90a"} {

// CHECK-LABEL: func.func @program_ids
// CHECK-SAME: (%{{.*}}: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %{{.*}}: i32 {tile.divisibility = 8 : i32})
func.func @program_ids(%p: !tile.ptr<f32> {tile.divisibility = 16 : i32},
                       %n: i32 {tile.divisibility = 8 : i32}) -> (i32, i32, i32, i32, i32, i32) {
  // CHECK: tile.program_id x : i32
  // CHECK: tile.program_id y : i32
  // CHECK: tile.program_id z : i32
  // CHECK: tile.num_programs x : i32
  // CHECK: tile.num_programs y : i32
  // CHECK: tile.num_programs z : i32
  %0 = tile.program_id x : i32
  %1 = tile.program_id y : i32
  %2 = tile.program_id z : i32
  %3 = tile.num_programs x : i32
  %4 = tile.num_programs y : i32
  %5 = tile.num_programs z : i32
  return %0, %1, %2, %3, %4, %5 : i32, i32, i32, i32, i32, i32
}

// CHECK-LABEL: func.func @shapes
func.func @shapes(%x: f32, %v: tensor<128xf32>) -> (tensor<64x128xf32>, tensor<8x16xf32>, tensor<128xi32>) {
  // CHECK: %[[R:.+]] = tile.make_range {end = 192 : i32, start = 64 : i32} : tensor<128xi32>
  %r = tile.make_range {end = 192 : i32, start = 64 : i32} : tensor<128xi32>
  // CHECK: tile.splat %{{.*}} : f32 -> tensor<1x128xf32>
  %s = tile.splat %x : f32 -> tensor<1x128xf32>
  // CHECK: %[[E:.+]] = tile.expand_dims %{{.*}} {axis = 0 : i32} : tensor<128xf32> -> tensor<1x128xf32>
  %e = tile.expand_dims %v {axis = 0 : i32} : tensor<128xf32> -> tensor<1x128xf32>
  %sum = arith.addf %s, %e : tensor<1x128xf32>
  // CHECK: tile.broadcast %{{.*}} : tensor<1x128xf32> -> tensor<64x128xf32>
  %b = tile.broadcast %sum : tensor<1x128xf32> -> tensor<64x128xf32>
  // CHECK: tile.reshape %{{.*}} : tensor<128xf32> -> tensor<8x16xf32>
  %g = tile.reshape %v : tensor<128xf32> -> tensor<8x16xf32>
  return %b, %g, %r : tensor<64x128xf32>, tensor<8x16xf32>, tensor<128xi32>
}

// CHECK-LABEL: func.func @pointers_and_memory
func.func @pointers_and_memory(%p: !tile.ptr<bf16>, %q: !tile.ptr<f8E4M3FN>, %off: i32) {
  %r = tile.make_range {end = 128 : i32, start = 0 : i32} : tensor<128xi32>
  // CHECK: tile.addptr %{{.*}}, %{{.*}} : !tile.ptr<bf16>, i32
  %row = tile.addptr %p, %off : !tile.ptr<bf16>, i32
  %rows = tile.splat %row : !tile.ptr<bf16> -> tensor<128x!tile.ptr<bf16>>
  // CHECK: %[[PTRS:.+]] = tile.addptr %{{.*}}, %{{.*}} : tensor<128x!tile.ptr<bf16>>, tensor<128xi32>
  %ptrs = tile.addptr %rows, %r : tensor<128x!tile.ptr<bf16>>, tensor<128xi32>
  %lim = tile.splat %off : i32 -> tensor<128xi32>
  %m = arith.cmpi slt, %r, %lim : tensor<128xi32>
  %other = arith.constant dense<0.0> : tensor<128xbf16>
  // A scalar load, and tile loads with every cache operator and eviction priority.
  // CHECK: tile.load %{{.*}} : !tile.ptr<bf16>
  %s = tile.load %row : !tile.ptr<bf16>
  // CHECK: tile.load %[[PTRS]] : tensor<128x!tile.ptr<bf16>>
  %l0 = tile.load %ptrs : tensor<128x!tile.ptr<bf16>>
  // CHECK: tile.load %[[PTRS]], %[[M:.+]] cache = ca : tensor<128x!tile.ptr<bf16>>
  %l1 = tile.load %ptrs, %m cache = ca : tensor<128x!tile.ptr<bf16>>
  // CHECK: tile.load %[[PTRS]], %[[M]], %{{.*}} cache = cg : tensor<128x!tile.ptr<bf16>>
  %l2 = tile.load %ptrs, %m, %other cache = cg : tensor<128x!tile.ptr<bf16>>
  // CHECK: tile.load %[[PTRS]] cache = cs : tensor<128x!tile.ptr<bf16>>
  %l3 = tile.load %ptrs cache = cs : tensor<128x!tile.ptr<bf16>>
  // CHECK: tile.load %[[PTRS]] cache = cv : tensor<128x!tile.ptr<bf16>>
  %l4 = tile.load %ptrs cache = cv evict = evict_normal : tensor<128x!tile.ptr<bf16>>
  // CHECK: tile.load %[[PTRS]], %[[M]], %{{.*}} evict = evict_first : tensor<128x!tile.ptr<bf16>>
  %l6 = tile.load %ptrs, %m, %other evict = evict_first : tensor<128x!tile.ptr<bf16>>
  // CHECK: tile.load %[[PTRS]] evict = evict_last : tensor<128x!tile.ptr<bf16>>
  %l7 = tile.load %ptrs evict = evict_last : tensor<128x!tile.ptr<bf16>>
  // CHECK: tile.load %[[PTRS]] {note = "kept"} : tensor<128x!tile.ptr<bf16>>
  %l5 = tile.load %ptrs {note = "kept"} : tensor<128x!tile.ptr<bf16>>
  // Stores with every store cache operator.
  // CHECK: tile.store %{{.*}}, %{{.*}} : !tile.ptr<bf16>
  tile.store %row, %s : !tile.ptr<bf16>
  // CHECK: tile.store %[[PTRS]], %{{.*}}, %[[M]] : tensor<128x!tile.ptr<bf16>>
  tile.store %ptrs, %l0, %m : tensor<128x!tile.ptr<bf16>>
  // CHECK: tile.store %[[PTRS]], %{{.*}} cache = wb : tensor<128x!tile.ptr<bf16>>
  tile.store %ptrs, %l1 cache = wb : tensor<128x!tile.ptr<bf16>>
  // CHECK: tile.store %[[PTRS]], %{{.*}}, %[[M]] cache = cg : tensor<128x!tile.ptr<bf16>>
  tile.store %ptrs, %l2, %m cache = cg : tensor<128x!tile.ptr<bf16>>
  // CHECK: tile.store %[[PTRS]], %{{.*}}, %[[M]] evict = evict_first : tensor<128x!tile.ptr<bf16>>
  tile.store %ptrs, %l2, %m evict = evict_first : tensor<128x!tile.ptr<bf16>>
  // CHECK: tile.store %[[PTRS]], %{{.*}} cache = cs : tensor<128x!tile.ptr<bf16>>
  tile.store %ptrs, %l3 cache = cs : tensor<128x!tile.ptr<bf16>>
  // CHECK: tile.store %[[PTRS]], %{{.*}} cache = wt : tensor<128x!tile.ptr<bf16>>
  tile.store %ptrs, %l4 cache = wt : tensor<128x!tile.ptr<bf16>>
  // CHECK: tile.store %[[PTRS]], %{{.*}} evict = evict_last : tensor<128x!tile.ptr<bf16>>
  tile.store %ptrs, %l4 evict = evict_last : tensor<128x!tile.ptr<bf16>>
  // A pointer to fp8 and one to i8.
  // CHECK: tile.load %{{.*}} : !tile.ptr<f8E4M3FN>
  %f8 = tile.load %q : !tile.ptr<f8E4M3FN>
  return
}

// CHECK-LABEL: func.func @reductions
func.func @reductions(%x: tensor<64x128xf32>, %i: tensor<64x128xi32>, %v: tensor<128xf32>) -> (tensor<64xf32>, tensor<128xf32>, tensor<128xi32>, f32) {
  // CHECK: tile.reduce %{{.*}} axis = 1 : (tensor<64x128xf32>) -> tensor<64xf32> {
  // CHECK-NEXT: ^bb0(%[[A:.+]]: f32, %[[B:.+]]: f32):
  // CHECK-NEXT: %[[MAX:.+]] = arith.maxnumf %[[A]], %[[B]] : f32
  // CHECK-NEXT: tile.reduce.return %[[MAX]] : f32
  %rows = tile.reduce %x axis = 1 : (tensor<64x128xf32>) -> tensor<64xf32> {
  ^bb0(%a: f32, %b: f32):
    %m = arith.maxnumf %a, %b : f32
    tile.reduce.return %m : f32
  }
  // An argmax: two tiles reduced together along axis 0.
  // CHECK: tile.reduce %{{.*}}, %{{.*}} axis = 0 : (tensor<64x128xf32>, tensor<64x128xi32>) -> (tensor<128xf32>, tensor<128xi32>) {
  // CHECK: tile.reduce.return %{{.*}}, %{{.*}} : f32, i32
  %vals, %idx = tile.reduce %x, %i axis = 0 : (tensor<64x128xf32>, tensor<64x128xi32>) -> (tensor<128xf32>, tensor<128xi32>) {
  ^bb0(%va: f32, %ia: i32, %vb: f32, %ib: i32):
    %gt = arith.cmpf ogt, %vb, %va : f32
    %v2 = arith.select %gt, %vb, %va : f32
    %i2 = arith.select %gt, %ib, %ia : i32
    tile.reduce.return %v2, %i2 : f32, i32
  }
  // Reducing a 1-D tile gives a scalar.
  // CHECK: tile.reduce %{{.*}} axis = 0 : (tensor<128xf32>) -> f32
  %sum = tile.reduce %v axis = 0 : (tensor<128xf32>) -> f32 {
  ^bb0(%a: f32, %b: f32):
    %s = arith.addf %a, %b : f32
    tile.reduce.return %s : f32
  }
  return %rows, %vals, %idx, %sum : tensor<64xf32>, tensor<128xf32>, tensor<128xi32>, f32
}

// CHECK-LABEL: func.func @dots
func.func @dots(%a32: tensor<32x16xf32>, %b32: tensor<16x64xf32>, %c32: tensor<32x64xf32>,
                %a16: tensor<32x16xf16>, %b16: tensor<16x64xf16>, %c16: tensor<32x64xf16>,
                %abf: tensor<32x16xbf16>, %bbf: tensor<16x64xbf16>,
                %a8: tensor<32x32xf8E4M3FN>, %b8: tensor<32x64xf8E4M3FN>,
                %a5: tensor<32x32xf8E5M2>, %b5: tensor<32x64xf8E5M2>,
                %ai: tensor<32x512xi8>, %bi: tensor<512x64xi8>, %ci: tensor<32x64xi32>) {
  // CHECK: tile.dot %{{.*}}, %{{.*}}, %{{.*}} : tensor<32x16xf32> * tensor<16x64xf32> -> tensor<32x64xf32>
  %0 = tile.dot %a32, %b32, %c32 : tensor<32x16xf32> * tensor<16x64xf32> -> tensor<32x64xf32>
  // CHECK: tile.dot %{{.*}}, %{{.*}}, %{{.*}}, inputPrecision = tf32 : tensor<32x16xf32> * tensor<16x64xf32> -> tensor<32x64xf32>
  %1 = tile.dot %a32, %b32, %c32, inputPrecision = tf32 : tensor<32x16xf32> * tensor<16x64xf32> -> tensor<32x64xf32>
  // The default precision is not printed.
  // CHECK: tile.dot %{{.*}}, %{{.*}}, %{{.*}} : tensor<32x16xf16> * tensor<16x64xf16> -> tensor<32x64xf32>
  %2 = tile.dot %a16, %b16, %c32, inputPrecision = ieee : tensor<32x16xf16> * tensor<16x64xf16> -> tensor<32x64xf32>
  // CHECK: tile.dot %{{.*}}, %{{.*}}, %{{.*}} : tensor<32x16xf16> * tensor<16x64xf16> -> tensor<32x64xf16>
  %3 = tile.dot %a16, %b16, %c16 : tensor<32x16xf16> * tensor<16x64xf16> -> tensor<32x64xf16>
  // CHECK: tile.dot %{{.*}}, %{{.*}}, %{{.*}} : tensor<32x16xbf16> * tensor<16x64xbf16> -> tensor<32x64xf32>
  %4 = tile.dot %abf, %bbf, %c32 : tensor<32x16xbf16> * tensor<16x64xbf16> -> tensor<32x64xf32>
  // CHECK: tile.dot %{{.*}}, %{{.*}}, %{{.*}} : tensor<32x32xf8E4M3FN> * tensor<32x64xf8E4M3FN> -> tensor<32x64xf32>
  %5 = tile.dot %a8, %b8, %c32 : tensor<32x32xf8E4M3FN> * tensor<32x64xf8E4M3FN> -> tensor<32x64xf32>
  // CHECK: tile.dot %{{.*}}, %{{.*}}, %{{.*}} : tensor<32x32xf8E5M2> * tensor<32x64xf8E5M2> -> tensor<32x64xf32>
  %6 = tile.dot %a5, %b5, %c32 : tensor<32x32xf8E5M2> * tensor<32x64xf8E5M2> -> tensor<32x64xf32>
  // CHECK: tile.dot %{{.*}}, %{{.*}}, %{{.*}}, inputPrecision = native : tensor<32x512xi8> * tensor<512x64xi8> -> tensor<32x64xi32>
  %7 = tile.dot %ai, %bi, %ci, inputPrecision = native : tensor<32x512xi8> * tensor<512x64xi8> -> tensor<32x64xi32>
  // f16_exact into an i32 accumulator: each dot's fp32 chain is its own K (<= 1024 products).
  // CHECK: tile.dot %{{.*}}, %{{.*}}, %{{.*}}, inputPrecision = f16_exact : tensor<32x512xi8> * tensor<512x64xi8> -> tensor<32x64xi32>
  %8 = tile.dot %ai, %bi, %ci, inputPrecision = f16_exact : tensor<32x512xi8> * tensor<512x64xi8> -> tensor<32x64xi32>
  return
}

// CHECK-LABEL: func.func @conversions
func.func @conversions(%v: tensor<128xf32>, %h: tensor<128xbf16>, %s: f32, %f8: tensor<128xf8E4M3FN>, %f4: tensor<128xf4E2M1FN>) {
  // CHECK: tile.fp_to_e2m1x2 %{{.*}} : tensor<128xf32> -> tensor<64xi8>
  %e2m1x2 = tile.fp_to_e2m1x2 %v : tensor<128xf32> -> tensor<64xi8>
  // CHECK: tile.fp_to_fp %{{.*}}, rounding = rtne, saturate : tensor<128xf32> -> tensor<128xf8E4M3FN>
  %0 = tile.fp_to_fp %v, rounding = rtne, saturate : tensor<128xf32> -> tensor<128xf8E4M3FN>
  // CHECK: tile.fp_to_fp %{{.*}}, rounding = rtz : tensor<128xf32> -> tensor<128xf8E5M2>
  %1 = tile.fp_to_fp %v, rounding = rtz : tensor<128xf32> -> tensor<128xf8E5M2>
  // CHECK: tile.fp_to_fp %{{.*}}, rounding = rtne, saturate : tensor<128xf32> -> tensor<128xf4E2M1FN>
  %2 = tile.fp_to_fp %v, rounding = rtne, saturate : tensor<128xf32> -> tensor<128xf4E2M1FN>
  // CHECK: tile.fp_to_fp %{{.*}}, rounding = rtne : tensor<128xf32> -> tensor<128xbf16>
  %3 = tile.fp_to_fp %v, rounding = rtne : tensor<128xf32> -> tensor<128xbf16>
  // CHECK: tile.fp_to_fp %{{.*}}, rounding = rtne, saturate : tensor<128xbf16> -> tensor<128xf16>
  %4 = tile.fp_to_fp %h, rounding = rtne, saturate : tensor<128xbf16> -> tensor<128xf16>
  // Widening conversions are exact and take no rounding mode.
  // CHECK: tile.fp_to_fp %{{.*}} : tensor<128xf8E4M3FN> -> tensor<128xf32>
  %5 = tile.fp_to_fp %f8 : tensor<128xf8E4M3FN> -> tensor<128xf32>
  // CHECK: tile.fp_to_fp %{{.*}} : tensor<128xf4E2M1FN> -> tensor<128xf16>
  %6 = tile.fp_to_fp %f4 : tensor<128xf4E2M1FN> -> tensor<128xf16>
  // CHECK: tile.fp_to_fp %{{.*}}, rounding = rtne, saturate : f32 -> f8E4M3FN
  %7 = tile.fp_to_fp %s, rounding = rtne, saturate : f32 -> f8E4M3FN
  // Saturating float-to-int, with each rounding mode.
  // CHECK: tile.fp_to_int %{{.*}}, rounding = rtne : tensor<128xf32> -> tensor<128xi8>
  %8 = tile.fp_to_int %v, rounding = rtne : tensor<128xf32> -> tensor<128xi8>
  // CHECK: tile.fp_to_int %{{.*}}, rounding = rtz : tensor<128xbf16> -> tensor<128xi16>
  %9 = tile.fp_to_int %h, rounding = rtz : tensor<128xbf16> -> tensor<128xi16>
  // CHECK: tile.fp_to_int %{{.*}}, rounding = rna : f32 -> i32
  %10 = tile.fp_to_int %s, rounding = rna : f32 -> i32
  return
}

// Layout encodings and convert_layout, as the passes write them.
// CHECK-LABEL: func.func @layouts
// (Printed with the aliases #blocked..., #slice defined at the top.)
// CHECK: tile.convert_layout %{{.*}} : tensor<64xf32, #[[SLICE:slice]]> -> tensor<64xf32, #[[B2:blocked[0-9]*]]>
// CHECK: tile.load %{{.*}} {tile.layout = #[[B2]]}
func.func @layouts(%t: tensor<64xf32, #tile.slice<dim = 1, parent = #tile.blocked<sizePerThread = [1, 4], threadsPerWarp = [2, 16], warpsPerCTA = [4, 1], order = [1, 0]>>>,
                   %p: tensor<64x!tile.ptr<f32>>) -> (tensor<64xf32, #tile.blocked<sizePerThread = [2], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]>>, tensor<64xf32>) {
  %c = tile.convert_layout %t : tensor<64xf32, #tile.slice<dim = 1, parent = #tile.blocked<sizePerThread = [1, 4], threadsPerWarp = [2, 16], warpsPerCTA = [4, 1], order = [1, 0]>>> -> tensor<64xf32, #tile.blocked<sizePerThread = [2], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]>>
  %x = tile.load %p {tile.layout = #tile.blocked<sizePerThread = [2], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]>} : tensor<64x!tile.ptr<f32>>
  return %c, %x : tensor<64xf32, #tile.blocked<sizePerThread = [2], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]>>, tensor<64xf32>
}

// Types: pointers to integers and to every float the kernels use, in tiles too.
// CHECK-LABEL: func.func private @types
// CHECK-SAME: !tile.ptr<i8>, !tile.ptr<i32>, !tile.ptr<f16>, !tile.ptr<f4E2M1FN>, tensor<16x16x!tile.ptr<f32>>
func.func private @types(!tile.ptr<i8>, !tile.ptr<i32>, !tile.ptr<f16>, !tile.ptr<f4E2M1FN>, tensor<16x16x!tile.ptr<f32>>)

// The tensor-core encodings (data only: no pass writes them yet): mma v2 and
// v3 accumulators, dot operands of each, a swizzled and an NVMMA shared tile.
// CHECK-LABEL: func.func private @tensor_core_layouts
// CHECK-SAME: tensor<64x64xf32, #tile.mma<version = 2, warpsPerCTA = [2, 2], instrShape = [16, 8]>>
// CHECK-SAME: tensor<128x128xf32, #tile.mma<version = 3, warpsPerCTA = [8, 1], instrShape = [64, 128]>>
// CHECK-SAME: tensor<64x32xf16, #tile.dot_operand<opIdx = 0, parent = #tile.mma<version = 2, warpsPerCTA = [2, 2], instrShape = [16, 8]>, kWidth = 2>>
// CHECK-SAME: tensor<64x64xi8, #tile.dot_operand<opIdx = 1, parent = #tile.mma<version = 2, warpsPerCTA = [2, 2], instrShape = [16, 8]>, kWidth = 4>>
// CHECK-SAME: tensor<128x64xf16, #tile.dot_operand<opIdx = 0, parent = #tile.mma<version = 3, warpsPerCTA = [8, 1], instrShape = [64, 128]>, kWidth = 2>>
// CHECK-SAME: tensor<64x64xf16, #tile.shared<vec = 8, perPhase = 1, maxPhase = 8, order = [1, 0]>>
// CHECK-SAME: tensor<64x64xf16, #tile.nvmma_shared<swizzle = 128, elementBits = 16, transposed = false>>
// CHECK-SAME: tensor<64x128xi8, #tile.nvmma_shared<swizzle = 32, elementBits = 8, transposed = true>>
func.func private @tensor_core_layouts(
  tensor<64x64xf32, #tile.mma<version = 2, warpsPerCTA = [2, 2], instrShape = [16, 8]>>,
  tensor<128x128xf32, #tile.mma<version = 3, warpsPerCTA = [8, 1], instrShape = [64, 128]>>,
  tensor<64x32xf16, #tile.dot_operand<opIdx = 0, parent = #tile.mma<version = 2, warpsPerCTA = [2, 2], instrShape = [16, 8]>, kWidth = 2>>,
  tensor<64x64xi8, #tile.dot_operand<opIdx = 1, parent = #tile.mma<version = 2, warpsPerCTA = [2, 2], instrShape = [16, 8]>, kWidth = 4>>,
  tensor<128x64xf16, #tile.dot_operand<opIdx = 0, parent = #tile.mma<version = 3, warpsPerCTA = [8, 1], instrShape = [64, 128]>, kWidth = 2>>,
  tensor<64x64xf16, #tile.shared<vec = 8, perPhase = 1, maxPhase = 8, order = [1, 0]>>,
  tensor<64x64xf16, #tile.nvmma_shared<swizzle = 128, elementBits = 16, transposed = false>>,
  tensor<64x128xi8, #tile.nvmma_shared<swizzle = 32, elementBits = 8, transposed = true>>)

}
