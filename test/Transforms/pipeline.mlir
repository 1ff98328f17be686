// tile-pipeline turns a K loop's operand loads into cp.async copies into a
// ring of shared buffers, S - 1 tiles ahead.
// RUN: tile-opt %s -split-input-file -tile-coalesce -tile-assign-layouts -tile-accelerate-matmul -tile-pipeline | FileCheck %s
// RUN: tile-opt %s -split-input-file -tile-coalesce -tile-assign-layouts -tile-accelerate-matmul -tile-pipeline=num-stages=4 | FileCheck %s --check-prefix=FOUR
// RUN: tile-opt %s -split-input-file -tile-coalesce -tile-assign-layouts -tile-accelerate-matmul -tile-pipeline=num-stages=1 | FileCheck %s --check-prefix=OFF
// RUN: tile-opt %s -split-input-file -tile-coalesce -tile-assign-layouts -tile-accelerate-matmul -tile-pipeline=other-loads=1 | FileCheck %s --check-prefix=OTHER

// Three stages (the default): two tiles copied before the loop, each
// iteration waits for all but the newest group, reads its buffer with
// local_load and copies the tile two iterations ahead, masked off past the
// end of the loop. Each commit takes its copies' tokens; the reads name the
// wait they follow.
// CHECK-LABEL: func.func @k_loop
// CHECK: %[[A:.+]] = tile.local_alloc : !tile.memdesc<3x64x32xf16, #tile.shared<vec = 8, perPhase = 2, maxPhase = 4, order = [1, 0]>>
// CHECK: %[[B:.+]] = tile.local_alloc : !tile.memdesc<3x32x64xf16, #tile.shared<vec = 8, perPhase = 1, maxPhase = 8, order = [1, 0]>>
// CHECK: %[[CA:.+]] = tile.async_copy %{{.*}}, %[[A]][%c0{{.*}}] mask
// CHECK: %[[CB:.+]] = tile.async_copy %{{.*}}, %[[B]][%c0{{.*}}] mask
// CHECK-NEXT: tile.async_commit tokens %[[CA]], %[[CB]]
// CHECK: tile.async_copy %{{.*}}, %[[A]][%c1{{.*}}] mask
// CHECK: tile.async_copy %{{.*}}, %[[B]][%c1{{.*}}] mask
// CHECK-NEXT: tile.async_commit
// CHECK: scf.for %[[K:.+]] = %[[LB:.+]] to %[[UB:.+]] step %[[STEP:[^ ]+]]
// CHECK: %[[I:.+]] = arith.divsi
// CHECK: %[[READ:.+]] = arith.remsi %[[I]]
// CHECK: %[[WRITE:.+]] = arith.remsi
// CHECK-NEXT: %[[LANDED:.+]] = tile.async_wait {pending = 1 : i32}
// CHECK-NEXT: tile.barrier
// CHECK-NEXT: %[[TA:.+]] = tile.local_load %[[A]][%[[READ]]] token %[[LANDED]] {{.*}} -> tensor<64x32xf16, #tile.dot_operand<opIdx = 0
// CHECK-NEXT: %[[TB:.+]] = tile.local_load %[[B]][%[[READ]]] token %[[LANDED]] {{.*}} -> tensor<32x64xf16, #tile.dot_operand<opIdx = 1
// CHECK: %[[AHEAD:.+]] = arith.addi %[[K]]
// CHECK: arith.cmpi slt, %[[AHEAD]], %[[UB]]
// CHECK: tile.async_copy %{{.*}}, %[[A]][%[[WRITE]]] mask
// CHECK: tile.async_copy %{{.*}}, %[[B]][%[[WRITE]]] mask
// CHECK-NEXT: tile.async_commit
// CHECK-NOT: tile.load
// CHECK: tile.dot %[[TA]], %[[TB]]
// CHECK: scf.yield
// CHECK: tile.async_wait {pending = 0 : i32}
// FOUR-LABEL: func.func @k_loop
// FOUR: tile.local_alloc : !tile.memdesc<4x64x32xf16
// FOUR-COUNT-3: tile.async_commit
// FOUR: scf.for
// FOUR: tile.async_wait {pending = 2 : i32}
// OFF-LABEL: func.func @k_loop
// OFF-NOT: tile.local_alloc
// OFF: tile.load
module attributes {tile.num_warps = 4 : i32} {
func.func @k_loop(%a: !tile.ptr<f16> {tile.divisibility = 16 : i32}, %b: !tile.ptr<f16> {tile.divisibility = 16 : i32}, %o: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %K: i32 {tile.divisibility = 16 : i32}) {
  %r64 = tile.make_range {end = 64 : i32, start = 0 : i32} : tensor<64xi32>
  %r32 = tile.make_range {end = 32 : i32, start = 0 : i32} : tensor<32xi32>
  %rows = tile.expand_dims %r64 {axis = 1 : i32} : tensor<64xi32> -> tensor<64x1xi32>
  %Kc = tile.splat %K : i32 -> tensor<64x1xi32>
  %arow = arith.muli %rows, %Kc : tensor<64x1xi32>
  %arow_b = tile.broadcast %arow : tensor<64x1xi32> -> tensor<64x32xi32>
  %kcol = tile.expand_dims %r32 {axis = 0 : i32} : tensor<32xi32> -> tensor<1x32xi32>
  %kcol_b = tile.broadcast %kcol : tensor<1x32xi32> -> tensor<64x32xi32>
  %aoff = arith.addi %arow_b, %kcol_b : tensor<64x32xi32>
  %krow = tile.expand_dims %r32 {axis = 1 : i32} : tensor<32xi32> -> tensor<32x1xi32>
  %c64t = arith.constant dense<64> : tensor<32x1xi32>
  %brow = arith.muli %krow, %c64t : tensor<32x1xi32>
  %brow_b = tile.broadcast %brow : tensor<32x1xi32> -> tensor<32x64xi32>
  %ncol = tile.expand_dims %r64 {axis = 0 : i32} : tensor<64xi32> -> tensor<1x64xi32>
  %ncol_b = tile.broadcast %ncol : tensor<1x64xi32> -> tensor<32x64xi32>
  %boff = arith.addi %brow_b, %ncol_b : tensor<32x64xi32>
  %pa = tile.splat %a : !tile.ptr<f16> -> tensor<64x32x!tile.ptr<f16>>
  %pa2 = tile.addptr %pa, %aoff : tensor<64x32x!tile.ptr<f16>>, tensor<64x32xi32>
  %pb = tile.splat %b : !tile.ptr<f16> -> tensor<32x64x!tile.ptr<f16>>
  %pb2 = tile.addptr %pb, %boff : tensor<32x64x!tile.ptr<f16>>, tensor<32x64xi32>
  %zero = arith.constant dense<0.0> : tensor<64x64xf32>
  %c0 = arith.constant 0 : i32
  %c32 = arith.constant 32 : i32
  %r = scf.for %k = %c0 to %K step %c32 iter_args(%sum = %zero) -> (tensor<64x64xf32>) : i32 {
    %ka = tile.splat %k : i32 -> tensor<64x32xi32>
    %pak = tile.addptr %pa2, %ka : tensor<64x32x!tile.ptr<f16>>, tensor<64x32xi32>
    %x = tile.load %pak : tensor<64x32x!tile.ptr<f16>>
    %kb = arith.muli %k, %c32 : i32
    %kbt = tile.splat %kb : i32 -> tensor<32x64xi32>
    %pbk = tile.addptr %pb2, %kbt : tensor<32x64x!tile.ptr<f16>>, tensor<32x64xi32>
    %y = tile.load %pbk : tensor<32x64x!tile.ptr<f16>>
    %d = tile.dot %x, %y, %sum : tensor<64x32xf16> * tensor<32x64xf16> -> tensor<64x64xf32>
    scf.yield %d : tensor<64x64xf32>
  }
  %ro = tile.make_range {end = 4096 : i32, start = 0 : i32} : tensor<4096xi32>
  %oo = tile.reshape %ro : tensor<4096xi32> -> tensor<64x64xi32>
  %po = tile.splat %o : !tile.ptr<f32> -> tensor<64x64x!tile.ptr<f32>>
  %po2 = tile.addptr %po, %oo : tensor<64x64x!tile.ptr<f32>>, tensor<64x64xi32>
  tile.store %po2, %r : tensor<64x64x!tile.ptr<f32>>
  return
}
}

// -----

// An A tile read by two dots (SwiGLU's gate and up, with B tiles of their
// own): tile-accelerate-matmul converts it once per dot; tile-pipeline makes
// the two conversions one, so the load is copied into one ring whose
// local_load both dots read (and nothing is loaded synchronously).
// CHECK-LABEL: func.func @shared_operand
// CHECK-COUNT-3: tile.local_alloc
// CHECK-NOT: tile.local_alloc
// CHECK: scf.for
// CHECK: %[[TA:.+]] = tile.local_load {{.*}} -> tensor<64x32xf16, #tile.dot_operand<opIdx = 0
// CHECK-NOT: tile.load
// CHECK: tile.dot %[[TA]],
// CHECK-NOT: tile.load
// CHECK: tile.dot %[[TA]],
// CHECK: scf.yield
module attributes {tile.num_warps = 4 : i32} {
func.func @shared_operand(%a: !tile.ptr<f16> {tile.divisibility = 16 : i32}, %b: !tile.ptr<f16> {tile.divisibility = 16 : i32}, %o: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %K: i32 {tile.divisibility = 16 : i32}) {
  %r64 = tile.make_range {end = 64 : i32, start = 0 : i32} : tensor<64xi32>
  %r32 = tile.make_range {end = 32 : i32, start = 0 : i32} : tensor<32xi32>
  %rows = tile.expand_dims %r64 {axis = 1 : i32} : tensor<64xi32> -> tensor<64x1xi32>
  %Kc = tile.splat %K : i32 -> tensor<64x1xi32>
  %arow = arith.muli %rows, %Kc : tensor<64x1xi32>
  %arow_b = tile.broadcast %arow : tensor<64x1xi32> -> tensor<64x32xi32>
  %kcol = tile.expand_dims %r32 {axis = 0 : i32} : tensor<32xi32> -> tensor<1x32xi32>
  %kcol_b = tile.broadcast %kcol : tensor<1x32xi32> -> tensor<64x32xi32>
  %aoff = arith.addi %arow_b, %kcol_b : tensor<64x32xi32>
  %krow = tile.expand_dims %r32 {axis = 1 : i32} : tensor<32xi32> -> tensor<32x1xi32>
  %c64t = arith.constant dense<64> : tensor<32x1xi32>
  %brow = arith.muli %krow, %c64t : tensor<32x1xi32>
  %brow_b = tile.broadcast %brow : tensor<32x1xi32> -> tensor<32x64xi32>
  %ncol = tile.expand_dims %r64 {axis = 0 : i32} : tensor<64xi32> -> tensor<1x64xi32>
  %ncol_b = tile.broadcast %ncol : tensor<1x64xi32> -> tensor<32x64xi32>
  %boff = arith.addi %brow_b, %ncol_b : tensor<32x64xi32>
  %pa = tile.splat %a : !tile.ptr<f16> -> tensor<64x32x!tile.ptr<f16>>
  %pa2 = tile.addptr %pa, %aoff : tensor<64x32x!tile.ptr<f16>>, tensor<64x32xi32>
  %pb = tile.splat %b : !tile.ptr<f16> -> tensor<32x64x!tile.ptr<f16>>
  %pb2 = tile.addptr %pb, %boff : tensor<32x64x!tile.ptr<f16>>, tensor<32x64xi32>
  %zero = arith.constant dense<0.0> : tensor<64x64xf32>
  %c0 = arith.constant 0 : i32
  %c32 = arith.constant 32 : i32
  %r:2 = scf.for %k = %c0 to %K step %c32 iter_args(%sum = %zero, %sum2 = %zero) -> (tensor<64x64xf32>, tensor<64x64xf32>) : i32 {
    %ka = tile.splat %k : i32 -> tensor<64x32xi32>
    %pak = tile.addptr %pa2, %ka : tensor<64x32x!tile.ptr<f16>>, tensor<64x32xi32>
    %x = tile.load %pak : tensor<64x32x!tile.ptr<f16>>
    %kb = arith.muli %k, %c32 : i32
    %kbt = tile.splat %kb : i32 -> tensor<32x64xi32>
    %pbk = tile.addptr %pb2, %kbt : tensor<32x64x!tile.ptr<f16>>, tensor<32x64xi32>
    %y = tile.load %pbk : tensor<32x64x!tile.ptr<f16>>
    %d = tile.dot %x, %y, %sum : tensor<64x32xf16> * tensor<32x64xf16> -> tensor<64x64xf32>
    %y2 = tile.load %pbk : tensor<32x64x!tile.ptr<f16>>
    %d2 = tile.dot %x, %y2, %sum2 : tensor<64x32xf16> * tensor<32x64xf16> -> tensor<64x64xf32>
    scf.yield %d, %d2 : tensor<64x64xf32>, tensor<64x64xf32>
  }
  %ro = tile.make_range {end = 4096 : i32, start = 0 : i32} : tensor<4096xi32>
  %oo = tile.reshape %ro : tensor<4096xi32> -> tensor<64x64xi32>
  %po = tile.splat %o : !tile.ptr<f32> -> tensor<64x64x!tile.ptr<f32>>
  %po2 = tile.addptr %po, %oo : tensor<64x64x!tile.ptr<f32>>, tensor<64x64xi32>
  %sum = arith.addf %r#0, %r#1 : tensor<64x64xf32>
  tile.store %po2, %sum : tensor<64x64x!tile.ptr<f32>>
  return
}
}

// -----

// A per-group scale loaded in the K loop: with other-loads it rides in the
// operands' groups into a ring of its own (1-D, unswizzled) and is read
// where the load was, in the load's layout (a slice of the mma accumulator,
// where each thread holds several rows and other threads the same ones); its
// copies are made one element a thread (a blocked layout, the pointer
// arithmetic computed again in it). By default it stays a load.
// CHECK-LABEL: func.func @k_loop_with_scale
// CHECK-NOT: tile.local_alloc : !tile.memdesc<3x64xf32
// CHECK: scf.for
// CHECK: tile.load {{.*}} : tensor<64x!tile.ptr<f32>
// OTHER-DAG: #[[COPY:blocked[0-9]*]] = #tile.blocked<sizePerThread = [1], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]>
// OTHER-DAG: #[[ROWS:slice[0-9]*]] = #tile.slice<dim = 1, parent = #tile.mma
// OTHER-LABEL: func.func @k_loop_with_scale
// OTHER: %[[S:.+]] = tile.local_alloc : !tile.memdesc<3x64xf32, #tile.shared<vec = 1, perPhase = 1, maxPhase = 1, order = [0]>>
// OTHER: tile.async_copy %{{.*}}, %[[S]][%c0{{.*}}] mask {{.*}} : tensor<64x!tile.ptr<f32>, #[[COPY]]>
// OTHER: tile.async_commit
// OTHER: tile.async_copy %{{.*}}, %[[S]][%c1{{.*}}] mask
// OTHER: tile.async_commit
// OTHER: scf.for
// OTHER: %[[READ:.+]] = arith.remsi
// OTHER: %[[WRITE:.+]] = arith.remsi
// OTHER-NEXT: %[[LANDED:.+]] = tile.async_wait {pending = 1 : i32}
// OTHER: tile.async_copy %{{.*}}, %[[S]][%[[WRITE]]] mask
// OTHER-NEXT: tile.async_commit
// OTHER-NOT: tile.load
// OTHER: tile.dot
// OTHER: tile.local_load %[[S]][%[[READ]]] token %[[LANDED]] {{.*}} -> tensor<64xf32, #[[ROWS]]>
// OTHER: scf.yield
module attributes {tile.num_warps = 4 : i32} {
func.func @k_loop_with_scale(%a: !tile.ptr<f16> {tile.divisibility = 16 : i32}, %b: !tile.ptr<f16> {tile.divisibility = 16 : i32}, %s: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %o: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %K: i32 {tile.divisibility = 16 : i32}) {
  %r64 = tile.make_range {end = 64 : i32, start = 0 : i32} : tensor<64xi32>
  %r32 = tile.make_range {end = 32 : i32, start = 0 : i32} : tensor<32xi32>
  %rows = tile.expand_dims %r64 {axis = 1 : i32} : tensor<64xi32> -> tensor<64x1xi32>
  %Kc = tile.splat %K : i32 -> tensor<64x1xi32>
  %arow = arith.muli %rows, %Kc : tensor<64x1xi32>
  %arow_b = tile.broadcast %arow : tensor<64x1xi32> -> tensor<64x32xi32>
  %kcol = tile.expand_dims %r32 {axis = 0 : i32} : tensor<32xi32> -> tensor<1x32xi32>
  %kcol_b = tile.broadcast %kcol : tensor<1x32xi32> -> tensor<64x32xi32>
  %aoff = arith.addi %arow_b, %kcol_b : tensor<64x32xi32>
  %krow = tile.expand_dims %r32 {axis = 1 : i32} : tensor<32xi32> -> tensor<32x1xi32>
  %c64t = arith.constant dense<64> : tensor<32x1xi32>
  %brow = arith.muli %krow, %c64t : tensor<32x1xi32>
  %brow_b = tile.broadcast %brow : tensor<32x1xi32> -> tensor<32x64xi32>
  %ncol = tile.expand_dims %r64 {axis = 0 : i32} : tensor<64xi32> -> tensor<1x64xi32>
  %ncol_b = tile.broadcast %ncol : tensor<1x64xi32> -> tensor<32x64xi32>
  %boff = arith.addi %brow_b, %ncol_b : tensor<32x64xi32>
  %pa = tile.splat %a : !tile.ptr<f16> -> tensor<64x32x!tile.ptr<f16>>
  %pa2 = tile.addptr %pa, %aoff : tensor<64x32x!tile.ptr<f16>>, tensor<64x32xi32>
  %pb = tile.splat %b : !tile.ptr<f16> -> tensor<32x64x!tile.ptr<f16>>
  %pb2 = tile.addptr %pb, %boff : tensor<32x64x!tile.ptr<f16>>, tensor<32x64xi32>
  %ps = tile.splat %s : !tile.ptr<f32> -> tensor<64x!tile.ptr<f32>>
  %ps2 = tile.addptr %ps, %r64 : tensor<64x!tile.ptr<f32>>, tensor<64xi32>
  %zero = arith.constant dense<0.0> : tensor<64x64xf32>
  %c0 = arith.constant 0 : i32
  %c32 = arith.constant 32 : i32
  %r = scf.for %k = %c0 to %K step %c32 iter_args(%sum = %zero) -> (tensor<64x64xf32>) : i32 {
    %ka = tile.splat %k : i32 -> tensor<64x32xi32>
    %pak = tile.addptr %pa2, %ka : tensor<64x32x!tile.ptr<f16>>, tensor<64x32xi32>
    %x = tile.load %pak : tensor<64x32x!tile.ptr<f16>>
    %kb = arith.muli %k, %c32 : i32
    %kbt = tile.splat %kb : i32 -> tensor<32x64xi32>
    %pbk = tile.addptr %pb2, %kbt : tensor<32x64x!tile.ptr<f16>>, tensor<32x64xi32>
    %y = tile.load %pbk : tensor<32x64x!tile.ptr<f16>>
    %fresh = arith.constant dense<0.0> : tensor<64x64xf32>
    %d = tile.dot %x, %y, %fresh : tensor<64x32xf16> * tensor<32x64xf16> -> tensor<64x64xf32>
    %ks = tile.splat %k : i32 -> tensor<64xi32>
    %psk = tile.addptr %ps2, %ks : tensor<64x!tile.ptr<f32>>, tensor<64xi32>
    %sc = tile.load %psk : tensor<64x!tile.ptr<f32>>
    %sc2 = tile.expand_dims %sc {axis = 1 : i32} : tensor<64xf32> -> tensor<64x1xf32>
    %sc3 = tile.broadcast %sc2 : tensor<64x1xf32> -> tensor<64x64xf32>
    %next = math.fma %d, %sc3, %sum : tensor<64x64xf32>
    scf.yield %next : tensor<64x64xf32>
  }
  %ro = tile.make_range {end = 4096 : i32, start = 0 : i32} : tensor<4096xi32>
  %oo = tile.reshape %ro : tensor<4096xi32> -> tensor<64x64xi32>
  %po = tile.splat %o : !tile.ptr<f32> -> tensor<64x64x!tile.ptr<f32>>
  %po2 = tile.addptr %po, %oo : tensor<64x64x!tile.ptr<f32>>, tensor<64x64xi32>
  tile.store %po2, %r : tensor<64x64x!tile.ptr<f32>>
  return
}
}

// -----

// A load carried by the loop (its pointer an iter arg) or whose masked lanes
// read something other than 0 stays a load.
// CHECK-LABEL: func.func @not_pipelined
// CHECK-NOT: tile.local_alloc
// CHECK: tile.load
module attributes {tile.num_warps = 4 : i32} {
func.func @not_pipelined(%a: !tile.ptr<f16> {tile.divisibility = 16 : i32}, %o: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %K: i32) {
  %r = tile.make_range {end = 1024 : i32, start = 0 : i32} : tensor<1024xi32>
  %off = tile.reshape %r : tensor<1024xi32> -> tensor<32x32xi32>
  %pa = tile.splat %a : !tile.ptr<f16> -> tensor<32x32x!tile.ptr<f16>>
  %pa2 = tile.addptr %pa, %off : tensor<32x32x!tile.ptr<f16>>, tensor<32x32xi32>
  %zero = arith.constant dense<0.0> : tensor<32x32xf32>
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %res:2 = scf.for %k = %c0 to %K step %c1 iter_args(%sum = %zero, %p = %pa2) -> (tensor<32x32xf32>, tensor<32x32x!tile.ptr<f16>>) : i32 {
    %x = tile.load %p : tensor<32x32x!tile.ptr<f16>>
    %d = tile.dot %x, %x, %sum : tensor<32x32xf16> * tensor<32x32xf16> -> tensor<32x32xf32>
    %next = tile.addptr %p, %off : tensor<32x32x!tile.ptr<f16>>, tensor<32x32xi32>
    scf.yield %d, %next : tensor<32x32xf32>, tensor<32x32x!tile.ptr<f16>>
  }
  %po = tile.splat %o : !tile.ptr<f32> -> tensor<32x32x!tile.ptr<f32>>
  %po2 = tile.addptr %po, %off : tensor<32x32x!tile.ptr<f32>>, tensor<32x32xi32>
  tile.store %po2, %res#0 : tensor<32x32x!tile.ptr<f32>>
  return
}
}
