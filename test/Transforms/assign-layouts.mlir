// tile-assign-layouts spreads the access layouts to every tile and converts
// only where two requirements meet.
// RUN: tile-opt %s -split-input-file -tile-coalesce -tile-assign-layouts -verify-diagnostics | FileCheck %s

// A row reduction takes the slice of its operand's layout; expand_dims of it
// goes back to the blocked layout; nothing is converted. The warps go to the
// rows (a warp per row), so that the reduction needs no shared memory.
// CHECK-DAG: #[[B:.+]] = #tile.blocked<sizePerThread = [1, 4], threadsPerWarp = [1, 32], warpsPerCTA = [4, 1], order = [1, 0]>
// CHECK-DAG: #[[S:.+]] = #tile.slice<dim = 1, parent = #[[B]]>
// CHECK-LABEL: func.func @reduce_and_back
// CHECK: %[[X:.+]] = tile.load %{{.*}} : tensor<4x512x!tile.ptr<f32>, #[[B]]>
// CHECK: tile.reduce %[[X]] axis = 1 : (tensor<4x512xf32, #[[B]]>) -> tensor<4xf32, #[[S]]>
// CHECK: tile.expand_dims %{{.*}} {axis = 1 : i32} : tensor<4xf32, #[[S]]> -> tensor<4x1xf32, #[[B]]>
// CHECK: tile.broadcast %{{.*}} : tensor<4x1xf32, #[[B]]> -> tensor<4x512xf32, #[[B]]>
// CHECK-NOT: tile.convert_layout
func.func @reduce_and_back(%p: !tile.ptr<f32> {tile.divisibility = 16 : i32}) {
  %r = tile.make_range {end = 4 : i32, start = 0 : i32} : tensor<4xi32>
  %c = tile.make_range {end = 512 : i32, start = 0 : i32} : tensor<512xi32>
  %r2 = tile.expand_dims %r {axis = 1 : i32} : tensor<4xi32> -> tensor<4x1xi32>
  %c2 = tile.expand_dims %c {axis = 0 : i32} : tensor<512xi32> -> tensor<1x512xi32>
  %c512 = arith.constant dense<512> : tensor<4x1xi32>
  %ro = arith.muli %r2, %c512 : tensor<4x1xi32>
  %rb = tile.broadcast %ro : tensor<4x1xi32> -> tensor<4x512xi32>
  %cb = tile.broadcast %c2 : tensor<1x512xi32> -> tensor<4x512xi32>
  %o = arith.addi %rb, %cb : tensor<4x512xi32>
  %s = tile.splat %p : !tile.ptr<f32> -> tensor<4x512x!tile.ptr<f32>>
  %a = tile.addptr %s, %o : tensor<4x512x!tile.ptr<f32>>, tensor<4x512xi32>
  %x = tile.load %a : tensor<4x512x!tile.ptr<f32>>
  %m = tile.reduce %x axis = 1 : (tensor<4x512xf32>) -> tensor<4xf32> {
  ^bb0(%u: f32, %v: f32):
    %w = arith.maxnumf %u, %v : f32
    tile.reduce.return %w : f32
  }
  %m2 = tile.expand_dims %m {axis = 1 : i32} : tensor<4xf32> -> tensor<4x1xf32>
  %mb = tile.broadcast %m2 : tensor<4x1xf32> -> tensor<4x512xf32>
  %y = arith.subf %x, %mb : tensor<4x512xf32>
  tile.store %a, %y : tensor<4x512x!tile.ptr<f32>>
  return
}

// -----

// A 1-D tile that feeds an expand_dims takes the slice layout, even where a
// 1-D access of it would prefer its own: no conversion.
// CHECK-DAG: #[[P:.+]] = #tile.blocked<{{.*}}order = [1, 0]>
// CHECK-DAG: #[[S0:.+]] = #tile.slice<dim = 0, parent = #[[P]]>
// CHECK-LABEL: func.func @slice_wins
// CHECK: tile.make_range {end = 512 : i32, start = 0 : i32} : tensor<512xi32, #[[S0]]>
// CHECK: tile.load %{{.*}} : tensor<512x!tile.ptr<f32>, #[[S0]]>
// CHECK-NOT: tile.convert_layout
func.func @slice_wins(%p: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %q: !tile.ptr<f32> {tile.divisibility = 16 : i32}) {
  %r = tile.make_range {end = 512 : i32, start = 0 : i32} : tensor<512xi32>
  %s = tile.splat %p : !tile.ptr<f32> -> tensor<512x!tile.ptr<f32>>
  %a = tile.addptr %s, %r : tensor<512x!tile.ptr<f32>>, tensor<512xi32>
  %x = tile.load %a : tensor<512x!tile.ptr<f32>>
  tile.store %a, %x : tensor<512x!tile.ptr<f32>>
  %r2 = tile.expand_dims %r {axis = 0 : i32} : tensor<512xi32> -> tensor<1x512xi32>
  %rb = tile.broadcast %r2 : tensor<1x512xi32> -> tensor<2x512xi32>
  %t = tile.splat %q : !tile.ptr<f32> -> tensor<2x512x!tile.ptr<f32>>
  %b = tile.addptr %t, %rb : tensor<2x512x!tile.ptr<f32>>, tensor<2x512xi32>
  %y = tile.load %b : tensor<2x512x!tile.ptr<f32>>
  tile.store %b, %y : tensor<2x512x!tile.ptr<f32>>
  return
}

// -----

// One 1-D tile expanded along both axes needs both slices: index
// arithmetic is computed again in the second slice layout instead of being
// converted (no shared memory, no barrier).
// CHECK-LABEL: func.func @conflict
// CHECK-DAG: tile.make_range {end = 16 : i32, start = 0 : i32} : tensor<16xi32, #[[A:[a-z0-9]+]]>
// CHECK-DAG: tile.make_range {end = 16 : i32, start = 0 : i32} : tensor<16xi32, #[[B:[a-z0-9]+]]>
// CHECK-NOT: tile.convert_layout
func.func @conflict(%q: !tile.ptr<i32> {tile.divisibility = 16 : i32}) {
  %r = tile.make_range {end = 16 : i32, start = 0 : i32} : tensor<16xi32>
  %rows = tile.expand_dims %r {axis = 1 : i32} : tensor<16xi32> -> tensor<16x1xi32>
  %cols = tile.expand_dims %r {axis = 0 : i32} : tensor<16xi32> -> tensor<1x16xi32>
  %sixteen = arith.constant dense<16> : tensor<16x1xi32>
  %ro = arith.muli %rows, %sixteen : tensor<16x1xi32>
  %rb = tile.broadcast %ro : tensor<16x1xi32> -> tensor<16x16xi32>
  %cb = tile.broadcast %cols : tensor<1x16xi32> -> tensor<16x16xi32>
  %o = arith.addi %rb, %cb : tensor<16x16xi32>
  %t = tile.splat %q : !tile.ptr<i32> -> tensor<16x16x!tile.ptr<i32>>
  %b = tile.addptr %t, %o : tensor<16x16x!tile.ptr<i32>>, tensor<16x16xi32>
  tile.store %b, %o : tensor<16x16x!tile.ptr<i32>>
  return
}

// -----

// A loaded 1-D tile expanded along both axes is loaded again in the other
// slice layout (a few bytes per thread, where a conversion costs a round
// trip through shared memory and two barriers).
// CHECK-LABEL: func.func @conflict_loaded_again
// CHECK: tile.load %{{.*}} : tensor<16x!tile.ptr<i32>, #[[A:[a-z0-9]+]]>
// CHECK: tile.load %{{.*}} : tensor<16x!tile.ptr<i32>, #[[B:[a-z0-9]+]]>
// CHECK-NOT: tile.convert_layout
func.func @conflict_loaded_again(%q: !tile.ptr<i32> {tile.divisibility = 16 : i32}) {
  %i = tile.make_range {end = 16 : i32, start = 0 : i32} : tensor<16xi32>
  %qs = tile.splat %q : !tile.ptr<i32> -> tensor<16x!tile.ptr<i32>>
  %qi = tile.addptr %qs, %i : tensor<16x!tile.ptr<i32>>, tensor<16xi32>
  %r = tile.load %qi : tensor<16x!tile.ptr<i32>>
  %rows = tile.expand_dims %r {axis = 1 : i32} : tensor<16xi32> -> tensor<16x1xi32>
  %cols = tile.expand_dims %r {axis = 0 : i32} : tensor<16xi32> -> tensor<1x16xi32>
  %rb = tile.broadcast %rows : tensor<16x1xi32> -> tensor<16x16xi32>
  %cb = tile.broadcast %cols : tensor<1x16xi32> -> tensor<16x16xi32>
  %o = arith.addi %rb, %cb : tensor<16x16xi32>
  %t = tile.splat %q : !tile.ptr<i32> -> tensor<16x16x!tile.ptr<i32>>
  %b = tile.addptr %t, %o : tensor<16x16x!tile.ptr<i32>>, tensor<16x16xi32>
  tile.store %b, %o : tensor<16x16x!tile.ptr<i32>>
  return
}

// -----

// Where memory may change between the load and the expand_dims (a store),
// the tile cannot be loaded again: one expand_dims gets a conversion.
// CHECK-LABEL: func.func @conflict_loaded
// CHECK: %[[R:.+]] = tile.load %{{.*}} : tensor<16x!tile.ptr<i32>, #[[A:[a-z0-9]+]]>
// CHECK: %[[C:.+]] = tile.convert_layout %[[R]] : tensor<16xi32, #[[A]]> -> tensor<16xi32, #[[B:[a-z0-9]+]]>
// CHECK: tile.expand_dims %[[C]]
// CHECK-NOT: tile.convert_layout
func.func @conflict_loaded(%q: !tile.ptr<i32> {tile.divisibility = 16 : i32}) {
  %i = tile.make_range {end = 16 : i32, start = 0 : i32} : tensor<16xi32>
  %qs = tile.splat %q : !tile.ptr<i32> -> tensor<16x!tile.ptr<i32>>
  %qi = tile.addptr %qs, %i : tensor<16x!tile.ptr<i32>>, tensor<16xi32>
  %r = tile.load %qi : tensor<16x!tile.ptr<i32>>
  tile.store %qi, %i : tensor<16x!tile.ptr<i32>>
  %rows = tile.expand_dims %r {axis = 1 : i32} : tensor<16xi32> -> tensor<16x1xi32>
  %cols = tile.expand_dims %r {axis = 0 : i32} : tensor<16xi32> -> tensor<1x16xi32>
  %rb = tile.broadcast %rows : tensor<16x1xi32> -> tensor<16x16xi32>
  %cb = tile.broadcast %cols : tensor<1x16xi32> -> tensor<16x16xi32>
  %o = arith.addi %rb, %cb : tensor<16x16xi32>
  %t = tile.splat %q : !tile.ptr<i32> -> tensor<16x16x!tile.ptr<i32>>
  %b = tile.addptr %t, %o : tensor<16x16x!tile.ptr<i32>>, tensor<16x16xi32>
  tile.store %b, %o : tensor<16x16x!tile.ptr<i32>>
  return
}

// -----

// A tile carried by a loop: the init value, the iteration argument, the
// yielded value and the result share the access layout.
// CHECK: #[[L:.+]] = #tile.blocked<sizePerThread = [4], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]>
// CHECK-LABEL: func.func @loop
// CHECK: scf.for {{.*}} iter_args(%{{.*}} = %{{.*}}) -> (tensor<512xf32, #[[L]]>)
// CHECK: scf.yield %{{.*}} : tensor<512xf32, #[[L]]>
func.func @loop(%p: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %n: i32) {
  %r = tile.make_range {end = 512 : i32, start = 0 : i32} : tensor<512xi32>
  %s = tile.splat %p : !tile.ptr<f32> -> tensor<512x!tile.ptr<f32>>
  %a = tile.addptr %s, %r : tensor<512x!tile.ptr<f32>>, tensor<512xi32>
  %zero = arith.constant dense<0.0> : tensor<512xf32>
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %acc = scf.for %i = %c0 to %n step %c1 iter_args(%sum = %zero) -> (tensor<512xf32>) : i32 {
    %x = tile.load %a : tensor<512x!tile.ptr<f32>>
    %next = arith.addf %sum, %x : tensor<512xf32>
    scf.yield %next : tensor<512xf32>
  }
  tile.store %a, %acc : tensor<512x!tile.ptr<f32>>
  return
}

// -----

// Tiles no access reaches get a default layout of their rank.
// CHECK: #[[D:.+]] = #tile.blocked<sizePerThread = [1], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]>
// CHECK-LABEL: func.func @no_access
// CHECK: tile.reduce %{{.*}} axis = 0 : (tensor<256xi32, #[[D]]>) -> i32
func.func @no_access(%p: !tile.ptr<i32>) {
  %r = tile.make_range {end = 256 : i32, start = 0 : i32} : tensor<256xi32>
  %s = tile.reduce %r axis = 0 : (tensor<256xi32>) -> i32 {
  ^bb0(%u: i32, %v: i32):
    %w = arith.addi %u, %v : i32
    tile.reduce.return %w : i32
  }
  tile.store %p, %s : !tile.ptr<i32>
  return
}

// -----

// expected-error @+1 {{kernel arguments must be scalars or pointers, not tiles}}
func.func @tile_argument(%t: tensor<16xf32>) {
  return
}

// -----

// A reshape that splits the last dimension takes the layout that keeps each
// element in its thread and register (2 f32 a thread become [1, 1, 2]); the
// pair reduction then stays in the thread. The store shares the rows'
// index arithmetic with the load, so it keeps the load's layout and its
// value is converted.
// CHECK-DAG: #[[B:.+]] = #tile.blocked<sizePerThread = [1, 2], threadsPerWarp = [4, 8], warpsPerCTA = [1, 1], order = [1, 0]>
// CHECK-DAG: #[[S3:.+]] = #tile.blocked<sizePerThread = [1, 1, 2], threadsPerWarp = [4, 8, 1], warpsPerCTA = [1, 1, 1], order = [2, 1, 0]>
// CHECK-DAG: #[[P:.+]] = #tile.slice<dim = 2, parent = #[[S3]]>
// CHECK-LABEL: func.func @split_pairs
// CHECK: tile.reshape %{{.*}} : tensor<4x16xf32, #[[B]]> -> tensor<4x8x2xf32, #[[S3]]>
// CHECK: tile.reduce %{{.*}} axis = 2 : (tensor<4x8x2xf32, #[[S3]]>) -> tensor<4x8xf32, #[[P]]>
// CHECK: tile.convert_layout %{{.*}} : tensor<4x8xf32, #[[P]]> -> tensor<4x8xf32, #[[B]]>
module attributes {tile.num_warps = 1 : i32} {
func.func @split_pairs(%p: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %q: !tile.ptr<f32> {tile.divisibility = 16 : i32}) {
  %r = tile.make_range {end = 4 : i32, start = 0 : i32} : tensor<4xi32>
  %c = tile.make_range {end = 16 : i32, start = 0 : i32} : tensor<16xi32>
  %r2 = tile.expand_dims %r {axis = 1 : i32} : tensor<4xi32> -> tensor<4x1xi32>
  %c2 = tile.expand_dims %c {axis = 0 : i32} : tensor<16xi32> -> tensor<1x16xi32>
  %k = arith.constant dense<16> : tensor<4x1xi32>
  %ro = arith.muli %r2, %k : tensor<4x1xi32>
  %rb = tile.broadcast %ro : tensor<4x1xi32> -> tensor<4x16xi32>
  %cb = tile.broadcast %c2 : tensor<1x16xi32> -> tensor<4x16xi32>
  %o = arith.addi %rb, %cb : tensor<4x16xi32>
  %s = tile.splat %p : !tile.ptr<f32> -> tensor<4x16x!tile.ptr<f32>>
  %a = tile.addptr %s, %o : tensor<4x16x!tile.ptr<f32>>, tensor<4x16xi32>
  %x = tile.load %a : tensor<4x16x!tile.ptr<f32>>
  %y = tile.reshape %x : tensor<4x16xf32> -> tensor<4x8x2xf32>
  %z = tile.reduce %y axis = 2 : (tensor<4x8x2xf32>) -> tensor<4x8xf32> {
  ^bb0(%u: f32, %v: f32):
    %w = arith.addf %u, %v : f32
    tile.reduce.return %w : f32
  }
  %c8 = tile.make_range {end = 8 : i32, start = 0 : i32} : tensor<8xi32>
  %c82 = tile.expand_dims %c8 {axis = 0 : i32} : tensor<8xi32> -> tensor<1x8xi32>
  %k8 = arith.constant dense<8> : tensor<4x1xi32>
  %ro8 = arith.muli %r2, %k8 : tensor<4x1xi32>
  %rb8 = tile.broadcast %ro8 : tensor<4x1xi32> -> tensor<4x8xi32>
  %cb8 = tile.broadcast %c82 : tensor<1x8xi32> -> tensor<4x8xi32>
  %o8 = arith.addi %rb8, %cb8 : tensor<4x8xi32>
  %t = tile.splat %q : !tile.ptr<f32> -> tensor<4x8x!tile.ptr<f32>>
  %b = tile.addptr %t, %o8 : tensor<4x8x!tile.ptr<f32>>, tensor<4x8xi32>
  tile.store %b, %z : tensor<4x8x!tile.ptr<f32>>
  return
}
}

// -----

// fp_to_e2m1x2 packs pairs each thread holds: the result takes the source's
// layout halved along the last dimension, and nothing moves.
// CHECK-DAG: #[[P:.+]] = #tile.blocked<sizePerThread = [1, 2], threadsPerWarp = [8, 4], warpsPerCTA = [4, 1], order = [1, 0]>
// CHECK-DAG: #[[S:.+]] = #tile.blocked<sizePerThread = [1, 4], threadsPerWarp = [8, 4], warpsPerCTA = [4, 1], order = [1, 0]>
// CHECK-LABEL: func.func @pack_in_place
// CHECK-NOT: tile.convert_layout
// CHECK: tile.fp_to_e2m1x2 %{{.*}} : tensor<64x16xf32, #[[S]]> -> tensor<64x8xi8, #[[P]]>
// CHECK-NOT: tile.convert_layout
module attributes {tile.num_warps = 4 : i32} {
func.func @pack_in_place(%p: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %q: !tile.ptr<i8> {tile.divisibility = 16 : i32}) {
  %r = tile.make_range {end = 64 : i32, start = 0 : i32} : tensor<64xi32>
  %c = tile.make_range {end = 16 : i32, start = 0 : i32} : tensor<16xi32>
  %r2 = tile.expand_dims %r {axis = 1 : i32} : tensor<64xi32> -> tensor<64x1xi32>
  %c2 = tile.expand_dims %c {axis = 0 : i32} : tensor<16xi32> -> tensor<1x16xi32>
  %k = arith.constant dense<16> : tensor<64x1xi32>
  %ro = arith.muli %r2, %k : tensor<64x1xi32>
  %rb = tile.broadcast %ro : tensor<64x1xi32> -> tensor<64x16xi32>
  %cb = tile.broadcast %c2 : tensor<1x16xi32> -> tensor<64x16xi32>
  %o = arith.addi %rb, %cb : tensor<64x16xi32>
  %s = tile.splat %p : !tile.ptr<f32> -> tensor<64x16x!tile.ptr<f32>>
  %a = tile.addptr %s, %o : tensor<64x16x!tile.ptr<f32>>, tensor<64x16xi32>
  %x = tile.load %a : tensor<64x16x!tile.ptr<f32>>
  %y = tile.fp_to_e2m1x2 %x : tensor<64x16xf32> -> tensor<64x8xi8>
  %c8 = tile.make_range {end = 8 : i32, start = 0 : i32} : tensor<8xi32>
  %r8 = tile.make_range {end = 64 : i32, start = 0 : i32} : tensor<64xi32>
  %r82 = tile.expand_dims %r8 {axis = 1 : i32} : tensor<64xi32> -> tensor<64x1xi32>
  %c82 = tile.expand_dims %c8 {axis = 0 : i32} : tensor<8xi32> -> tensor<1x8xi32>
  %k8 = arith.constant dense<8> : tensor<64x1xi32>
  %ro8 = arith.muli %r82, %k8 : tensor<64x1xi32>
  %rb8 = tile.broadcast %ro8 : tensor<64x1xi32> -> tensor<64x8xi32>
  %cb8 = tile.broadcast %c82 : tensor<1x8xi32> -> tensor<64x8xi32>
  %o8 = arith.addi %rb8, %cb8 : tensor<64x8xi32>
  %t = tile.splat %q : !tile.ptr<i8> -> tensor<64x8x!tile.ptr<i8>>
  %b = tile.addptr %t, %o8 : tensor<64x8x!tile.ptr<i8>>, tensor<64x8xi32>
  tile.store %b, %y : tensor<64x8x!tile.ptr<i8>>
  return
}
}

// -----

// A packing whose source lies in a reduction's slice layout (no pairs in a
// thread): the source moves to the blocked layout that packs into the
// result's.
// CHECK-LABEL: func.func @pack_after_reduce
// CHECK: %[[M:.+]] = tile.reduce
// CHECK: %[[C:.+]] = tile.convert_layout %[[M]] : tensor<64xf32, #{{.+}}> -> tensor<64xf32, #[[S:.+]]>
// CHECK: tile.fp_to_e2m1x2 %[[C]] : tensor<64xf32, #[[S]]> -> tensor<32xi8, #{{.+}}>
module attributes {tile.num_warps = 4 : i32} {
func.func @pack_after_reduce(%p: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %q: !tile.ptr<i8> {tile.divisibility = 16 : i32}) {
  %r = tile.make_range {end = 64 : i32, start = 0 : i32} : tensor<64xi32>
  %c = tile.make_range {end = 16 : i32, start = 0 : i32} : tensor<16xi32>
  %r2 = tile.expand_dims %r {axis = 1 : i32} : tensor<64xi32> -> tensor<64x1xi32>
  %c2 = tile.expand_dims %c {axis = 0 : i32} : tensor<16xi32> -> tensor<1x16xi32>
  %k = arith.constant dense<16> : tensor<64x1xi32>
  %ro = arith.muli %r2, %k : tensor<64x1xi32>
  %rb = tile.broadcast %ro : tensor<64x1xi32> -> tensor<64x16xi32>
  %cb = tile.broadcast %c2 : tensor<1x16xi32> -> tensor<64x16xi32>
  %o = arith.addi %rb, %cb : tensor<64x16xi32>
  %s = tile.splat %p : !tile.ptr<f32> -> tensor<64x16x!tile.ptr<f32>>
  %a = tile.addptr %s, %o : tensor<64x16x!tile.ptr<f32>>, tensor<64x16xi32>
  %x = tile.load %a : tensor<64x16x!tile.ptr<f32>>
  %m = tile.reduce %x axis = 1 : (tensor<64x16xf32>) -> tensor<64xf32> {
  ^bb0(%u: f32, %v: f32):
    %w = arith.maximumf %u, %v : f32
    tile.reduce.return %w : f32
  }
  %y = tile.fp_to_e2m1x2 %m : tensor<64xf32> -> tensor<32xi8>
  %h = tile.make_range {end = 32 : i32, start = 0 : i32} : tensor<32xi32>
  %t = tile.splat %q : !tile.ptr<i8> -> tensor<32x!tile.ptr<i8>>
  %b = tile.addptr %t, %h : tensor<32x!tile.ptr<i8>>, tensor<32xi32>
  tile.store %b, %y : tensor<32x!tile.ptr<i8>>
  return
}
}

// -----

// A reduction's 1-D result reduced again to a scalar (a count over prefix
// sums): the lowering reduces blocked tiles, so the slice moves to the
// default 1-D layout first.
// CHECK-DAG: #[[B:.+]] = #tile.blocked<sizePerThread = [1, 1], threadsPerWarp = [32, 1], warpsPerCTA = [4, 1], order = [1, 0]>
// CHECK-DAG: #[[S:.+]] = #tile.slice<dim = 1, parent = #[[B]]>
// CHECK-DAG: #[[D:.+]] = #tile.blocked<sizePerThread = [1], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]>
// CHECK-LABEL: func.func @reduce_of_reduce
// CHECK: %[[ROWS:.+]] = tile.reduce %{{.*}} axis = 1 : (tensor<64x64xi32, #[[B]]>) -> tensor<64xi32, #[[S]]>
// CHECK: %[[MOVED:.+]] = tile.convert_layout %[[ROWS]] : tensor<64xi32, #[[S]]> -> tensor<64xi32, #[[D]]>
// CHECK: tile.reduce %[[MOVED]] axis = 0 : (tensor<64xi32, #[[D]]>) -> i32
func.func @reduce_of_reduce(%p: !tile.ptr<i32>) {
  %r = tile.make_range {end = 64 : i32, start = 0 : i32} : tensor<64xi32>
  %r2 = tile.expand_dims %r {axis = 1 : i32} : tensor<64xi32> -> tensor<64x1xi32>
  %c2 = tile.expand_dims %r {axis = 0 : i32} : tensor<64xi32> -> tensor<1x64xi32>
  %rb = tile.broadcast %r2 : tensor<64x1xi32> -> tensor<64x64xi32>
  %cb = tile.broadcast %c2 : tensor<1x64xi32> -> tensor<64x64xi32>
  %x = arith.addi %rb, %cb : tensor<64x64xi32>
  %rows = tile.reduce %x axis = 1 : (tensor<64x64xi32>) -> tensor<64xi32> {
  ^bb0(%u: i32, %v: i32):
    %w = arith.addi %u, %v : i32
    tile.reduce.return %w : i32
  }
  %s = tile.reduce %rows axis = 0 : (tensor<64xi32>) -> i32 {
  ^bb0(%u: i32, %v: i32):
    %w = arith.addi %u, %v : i32
    tile.reduce.return %w : i32
  }
  tile.store %p, %s : !tile.ptr<i32>
  return
}
