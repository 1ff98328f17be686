// tile-coalesce picks, per tile rank, a blocked layout with up to 16 bytes per
// thread along the contiguous dimension, from the pointers' axis info.
// RUN: tile-opt %s -split-input-file -tile-coalesce | FileCheck %s
// RUN: tile-opt %s -split-input-file -tile-coalesce=num-warps=8 | FileCheck %s --check-prefix=WARPS8

// bf16 loads from a 16-byte aligned base: 8 elements (16 bytes) per thread;
// the f32 store of the same rank follows the load's layout.
// CHECK: #[[BF16:.+]] = #tile.blocked<sizePerThread = [8], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]>
// CHECK-LABEL: func.func @bf16_row
// CHECK: tile.load %{{.*}} {tile.layout = #[[BF16]]}
// CHECK: tile.store %{{.*}}, %{{.*}} {tile.layout = #[[BF16]]}
// The option sets the module's warps and the layout follows.
// (1024 elements over 256 threads: 4 per thread.)
// WARPS8: #tile.blocked<sizePerThread = [4], threadsPerWarp = [32], warpsPerCTA = [8], order = [0]>
// WARPS8: module attributes {tile.num_warps = 8 : i32}
func.func @bf16_row(%p: !tile.ptr<bf16> {tile.divisibility = 16 : i32}, %q: !tile.ptr<f32> {tile.divisibility = 16 : i32}) {
  %r = tile.make_range {end = 1024 : i32, start = 0 : i32} : tensor<1024xi32>
  %s = tile.splat %p : !tile.ptr<bf16> -> tensor<1024x!tile.ptr<bf16>>
  %a = tile.addptr %s, %r : tensor<1024x!tile.ptr<bf16>>, tensor<1024xi32>
  %x = tile.load %a : tensor<1024x!tile.ptr<bf16>>
  %y = arith.extf %x : tensor<1024xbf16> to tensor<1024xf32>
  %t = tile.splat %q : !tile.ptr<f32> -> tensor<1024x!tile.ptr<f32>>
  %b = tile.addptr %t, %r : tensor<1024x!tile.ptr<f32>>, tensor<1024xi32>
  tile.store %b, %y : tensor<1024x!tile.ptr<f32>>
  return
}

// -----

// Without an alignment fact the base may be any element: one element per
// thread.
// CHECK: #[[ONE:.+]] = #tile.blocked<sizePerThread = [1], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]>
// CHECK-LABEL: func.func @unaligned
// CHECK: tile.load %{{.*}} {tile.layout = #[[ONE]]}
func.func @unaligned(%p: !tile.ptr<f32>, %q: !tile.ptr<f32>) {
  %r = tile.make_range {end = 512 : i32, start = 0 : i32} : tensor<512xi32>
  %s = tile.splat %p : !tile.ptr<f32> -> tensor<512x!tile.ptr<f32>>
  %a = tile.addptr %s, %r : tensor<512x!tile.ptr<f32>>, tensor<512xi32>
  %x = tile.load %a : tensor<512x!tile.ptr<f32>>
  %t = tile.splat %q : !tile.ptr<f32> -> tensor<512x!tile.ptr<f32>>
  %b = tile.addptr %t, %r : tensor<512x!tile.ptr<f32>>, tensor<512xi32>
  tile.store %b, %x : tensor<512x!tile.ptr<f32>>
  return
}

// -----

// A 2-D tile contiguous along its last dimension: threads run along the row
// with 4 f32 (16 bytes) each, the rows spread over lanes and warps.
// CHECK: #[[ROWS:.+]] = #tile.blocked<sizePerThread = [1, 4], threadsPerWarp = [2, 16], warpsPerCTA = [4, 1], order = [1, 0]>
// CHECK-LABEL: func.func @rows
// CHECK: tile.load %{{.*}} {tile.layout = #[[ROWS]]}
func.func @rows(%p: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %stride: i32 {tile.divisibility = 16 : i32}) {
  %r = tile.make_range {end = 16 : i32, start = 0 : i32} : tensor<16xi32>
  %c = tile.make_range {end = 64 : i32, start = 0 : i32} : tensor<64xi32>
  %r2 = tile.expand_dims %r {axis = 1 : i32} : tensor<16xi32> -> tensor<16x1xi32>
  %c2 = tile.expand_dims %c {axis = 0 : i32} : tensor<64xi32> -> tensor<1x64xi32>
  %st = tile.splat %stride : i32 -> tensor<16x1xi32>
  %ro = arith.muli %r2, %st : tensor<16x1xi32>
  %rb = tile.broadcast %ro : tensor<16x1xi32> -> tensor<16x64xi32>
  %cb = tile.broadcast %c2 : tensor<1x64xi32> -> tensor<16x64xi32>
  %o = arith.addi %rb, %cb : tensor<16x64xi32>
  %s = tile.splat %p : !tile.ptr<f32> -> tensor<16x64x!tile.ptr<f32>>
  %a = tile.addptr %s, %o : tensor<16x64x!tile.ptr<f32>>, tensor<16x64xi32>
  %x = tile.load %a : tensor<16x64x!tile.ptr<f32>>
  tile.store %a, %x : tensor<16x64x!tile.ptr<f32>>
  return
}

// -----

// Warps avoid the dimension a reduction runs along: 2 rows of 1024 with a
// row reduction get 2 warps per row (not 4), so that each row's reduction
// crosses two warps instead of four.
// CHECK: #[[TWO:.+]] = #tile.blocked<sizePerThread = [1, 4], threadsPerWarp = [1, 32], warpsPerCTA = [2, 2], order = [1, 0]>
// CHECK-LABEL: func.func @reduced_rows
// CHECK: tile.load %{{.*}} {tile.layout = #[[TWO]]}
// WARPS8: #[[TWO8:.+]] = #tile.blocked<sizePerThread = [1, 4], threadsPerWarp = [1, 32], warpsPerCTA = [2, 4], order = [1, 0]>
// WARPS8-LABEL: func.func @reduced_rows
// WARPS8: tile.load %{{.*}} {tile.layout = #[[TWO8]]}
func.func @reduced_rows(%p: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %q: !tile.ptr<f32> {tile.divisibility = 16 : i32}) {
  %r = tile.make_range {end = 2 : i32, start = 0 : i32} : tensor<2xi32>
  %c = tile.make_range {end = 1024 : i32, start = 0 : i32} : tensor<1024xi32>
  %r2 = tile.expand_dims %r {axis = 1 : i32} : tensor<2xi32> -> tensor<2x1xi32>
  %c2 = tile.expand_dims %c {axis = 0 : i32} : tensor<1024xi32> -> tensor<1x1024xi32>
  %k = arith.constant dense<1024> : tensor<2x1xi32>
  %ro = arith.muli %r2, %k : tensor<2x1xi32>
  %rb = tile.broadcast %ro : tensor<2x1xi32> -> tensor<2x1024xi32>
  %cb = tile.broadcast %c2 : tensor<1x1024xi32> -> tensor<2x1024xi32>
  %o = arith.addi %rb, %cb : tensor<2x1024xi32>
  %s = tile.splat %p : !tile.ptr<f32> -> tensor<2x1024x!tile.ptr<f32>>
  %a = tile.addptr %s, %o : tensor<2x1024x!tile.ptr<f32>>, tensor<2x1024xi32>
  %x = tile.load %a : tensor<2x1024x!tile.ptr<f32>>
  %m = tile.reduce %x axis = 1 : (tensor<2x1024xf32>) -> tensor<2xf32> {
  ^bb0(%u: f32, %v: f32):
    %w = arith.maxnumf %u, %v : f32
    tile.reduce.return %w : f32
  }
  %qs = tile.splat %q : !tile.ptr<f32> -> tensor<2x!tile.ptr<f32>>
  %qa = tile.addptr %qs, %r : tensor<2x!tile.ptr<f32>>, tensor<2xi32>
  tile.store %qa, %m : tensor<2x!tile.ptr<f32>>
  return
}

// -----

// Quantization groups: 8 rows of 128 bf16 reduced along the rows on 2 warps.
// The reduced, contiguous dimension gets only the 8 lanes that make a warp
// access whole 128-byte lines (8 x 16 bytes); the freed lanes take rows, so
// each thread holds one group's two vectors and reduces them in registers
// before 3 butterfly steps (16 lanes and two groups a thread otherwise). On 8
// warps (4 elements a thread) the rows have no room for freed lanes: a warp
// a row, all 32 lanes along it, so the reduction never crosses warps.
// CHECK: #[[GROUPS:.+]] = #tile.blocked<sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [2, 1], order = [1, 0]>
// CHECK-LABEL: func.func @quant_groups
// CHECK: tile.load %{{.*}} {tile.layout = #[[GROUPS]]}
// WARPS8: #[[GROUPS8:.+]] = #tile.blocked<sizePerThread = [1, 4], threadsPerWarp = [1, 32], warpsPerCTA = [8, 1], order = [1, 0]>
// WARPS8-LABEL: func.func @quant_groups
// WARPS8: tile.load %{{.*}} {tile.layout = #[[GROUPS8]]}
module attributes {tile.num_warps = 2 : i32} {
func.func @quant_groups(%p: !tile.ptr<bf16> {tile.divisibility = 16 : i32}, %q: !tile.ptr<f32> {tile.divisibility = 16 : i32}) {
  %r = tile.make_range {end = 8 : i32, start = 0 : i32} : tensor<8xi32>
  %c = tile.make_range {end = 128 : i32, start = 0 : i32} : tensor<128xi32>
  %r2 = tile.expand_dims %r {axis = 1 : i32} : tensor<8xi32> -> tensor<8x1xi32>
  %c2 = tile.expand_dims %c {axis = 0 : i32} : tensor<128xi32> -> tensor<1x128xi32>
  %k = arith.constant dense<128> : tensor<8x1xi32>
  %ro = arith.muli %r2, %k : tensor<8x1xi32>
  %rb = tile.broadcast %ro : tensor<8x1xi32> -> tensor<8x128xi32>
  %cb = tile.broadcast %c2 : tensor<1x128xi32> -> tensor<8x128xi32>
  %o = arith.addi %rb, %cb : tensor<8x128xi32>
  %s = tile.splat %p : !tile.ptr<bf16> -> tensor<8x128x!tile.ptr<bf16>>
  %a = tile.addptr %s, %o : tensor<8x128x!tile.ptr<bf16>>, tensor<8x128xi32>
  %x = tile.load %a : tensor<8x128x!tile.ptr<bf16>>
  %xf = arith.extf %x : tensor<8x128xbf16> to tensor<8x128xf32>
  %m = tile.reduce %xf axis = 1 : (tensor<8x128xf32>) -> tensor<8xf32> {
  ^bb0(%u: f32, %v: f32):
    %w = arith.maximumf %u, %v : f32
    tile.reduce.return %w : f32
  }
  %qs = tile.splat %q : !tile.ptr<f32> -> tensor<8x!tile.ptr<f32>>
  %qa = tile.addptr %qs, %r : tensor<8x!tile.ptr<f32>>, tensor<8xi32>
  tile.store %qa, %m : tensor<8x!tile.ptr<f32>>
  return
}
}

// -----

// NVFP4 blocks: 128 rows of 16 bf16 (32 bytes, one sector) reduced along
// the rows on 2 warps. A row this short goes to one lane whole (its two
// vectors), so its result takes no shuffle and is computed once.
// CHECK: #[[SHORT:.+]] = #tile.blocked<sizePerThread = [1, 8], threadsPerWarp = [32, 1], warpsPerCTA = [2, 1], order = [1, 0]>
// CHECK-LABEL: func.func @short_rows
// CHECK: tile.load %{{.*}} {tile.layout = #[[SHORT]]}
module attributes {tile.num_warps = 2 : i32} {
func.func @short_rows(%p: !tile.ptr<bf16> {tile.divisibility = 16 : i32}, %q: !tile.ptr<f32> {tile.divisibility = 16 : i32}) {
  %r = tile.make_range {end = 128 : i32, start = 0 : i32} : tensor<128xi32>
  %c = tile.make_range {end = 16 : i32, start = 0 : i32} : tensor<16xi32>
  %r2 = tile.expand_dims %r {axis = 1 : i32} : tensor<128xi32> -> tensor<128x1xi32>
  %c2 = tile.expand_dims %c {axis = 0 : i32} : tensor<16xi32> -> tensor<1x16xi32>
  %k = arith.constant dense<16> : tensor<128x1xi32>
  %ro = arith.muli %r2, %k : tensor<128x1xi32>
  %rb = tile.broadcast %ro : tensor<128x1xi32> -> tensor<128x16xi32>
  %cb = tile.broadcast %c2 : tensor<1x16xi32> -> tensor<128x16xi32>
  %o = arith.addi %rb, %cb : tensor<128x16xi32>
  %s = tile.splat %p : !tile.ptr<bf16> -> tensor<128x16x!tile.ptr<bf16>>
  %a = tile.addptr %s, %o : tensor<128x16x!tile.ptr<bf16>>, tensor<128x16xi32>
  %x = tile.load %a : tensor<128x16x!tile.ptr<bf16>>
  %xf = arith.extf %x : tensor<128x16xbf16> to tensor<128x16xf32>
  %m = tile.reduce %xf axis = 1 : (tensor<128x16xf32>) -> tensor<128xf32> {
  ^bb0(%u: f32, %v: f32):
    %w = arith.maximumf %u, %v : f32
    tile.reduce.return %w : f32
  }
  %qs = tile.splat %q : !tile.ptr<f32> -> tensor<128x!tile.ptr<f32>>
  %qa = tile.addptr %qs, %r : tensor<128x!tile.ptr<f32>>, tensor<128xi32>
  tile.store %qa, %m : tensor<128x!tile.ptr<f32>>
  return
}
}

// -----

// A column reduction: the warps go along the rows' columns instead, and the
// lanes stay on the contiguous dimension for coalescing.
// CHECK: #[[COLS:.+]] = #tile.blocked<sizePerThread = [1, 4], threadsPerWarp = [1, 32], warpsPerCTA = [1, 4], order = [1, 0]>
// CHECK-LABEL: func.func @reduced_columns
// CHECK: tile.load %{{.*}} {tile.layout = #[[COLS]]}
func.func @reduced_columns(%p: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %q: !tile.ptr<f32> {tile.divisibility = 16 : i32}) {
  %r = tile.make_range {end = 8 : i32, start = 0 : i32} : tensor<8xi32>
  %c = tile.make_range {end = 512 : i32, start = 0 : i32} : tensor<512xi32>
  %r2 = tile.expand_dims %r {axis = 1 : i32} : tensor<8xi32> -> tensor<8x1xi32>
  %c2 = tile.expand_dims %c {axis = 0 : i32} : tensor<512xi32> -> tensor<1x512xi32>
  %k = arith.constant dense<512> : tensor<8x1xi32>
  %ro = arith.muli %r2, %k : tensor<8x1xi32>
  %rb = tile.broadcast %ro : tensor<8x1xi32> -> tensor<8x512xi32>
  %cb = tile.broadcast %c2 : tensor<1x512xi32> -> tensor<8x512xi32>
  %o = arith.addi %rb, %cb : tensor<8x512xi32>
  %s = tile.splat %p : !tile.ptr<f32> -> tensor<8x512x!tile.ptr<f32>>
  %a = tile.addptr %s, %o : tensor<8x512x!tile.ptr<f32>>, tensor<8x512xi32>
  %x = tile.load %a : tensor<8x512x!tile.ptr<f32>>
  %m = tile.reduce %x axis = 0 : (tensor<8x512xf32>) -> tensor<512xf32> {
  ^bb0(%u: f32, %v: f32):
    %w = arith.addf %u, %v : f32
    tile.reduce.return %w : f32
  }
  %qs = tile.splat %q : !tile.ptr<f32> -> tensor<512x!tile.ptr<f32>>
  %qa = tile.addptr %qs, %c : tensor<512x!tile.ptr<f32>>, tensor<512xi32>
  tile.store %qa, %m : tensor<512x!tile.ptr<f32>>
  return
}
