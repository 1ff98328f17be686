// A tensor-core dot's epilogue computes in the accumulator's mma layout:
// tile-assign-layouts gives the accumulator's group #tile.mma, a row scale
// reaches it through #tile.slice<dim = 1, parent = #tile.mma>, and the store
// takes the mma layout. The row scale's 1-D load shares its index
// arithmetic with a's rows (a blocked slice); rather than converting it
// through shared memory, tile-assign-layouts loads it again in the mma
// slice. The row and column offsets a's load and the store share (as a DSL
// kernel's do after CSE) are computed again for the store, so that a's load
// keeps its coalesced blocked layout.
// RUN: tile-opt %s -tile-coalesce -tile-assign-layouts -tile-accelerate-matmul | FileCheck %s
// RUN: tile-opt %s -tile-coalesce -tile-assign-layouts -tile-accelerate-matmul -convert-tile-to-llvm | FileCheck %s --check-prefix=LLVM

// CHECK-DAG: #[[ROWS:slice[0-9]*]] = #tile.slice<dim = 1, parent = #tile.mma<version = 2, warpsPerCTA = [2, 2], instrShape = [16, 8]>>
// CHECK-LABEL: func.func @row_scaled
// CHECK: tile.load %{{.*}} : tensor<32x32x!tile.ptr<f16>, #blocked{{[0-9]*}}>
// CHECK-NOT: tile.convert_layout {{.*}}xf32
// CHECK: %[[S:.+]] = tile.load %{{.*}} : tensor<32x!tile.ptr<f32>, #[[ROWS]]>
// CHECK: tile.expand_dims %[[S]] {axis = 1 : i32} : tensor<32xf32, #[[ROWS]]> -> tensor<32x1xf32, #tile.mma<{{.*}}>>
// CHECK: tile.broadcast {{.*}} -> tensor<32x32xf32, #tile.mma<{{.*}}>>
// CHECK: arith.mulf {{.*}} : tensor<32x32xf32, #tile.mma<{{.*}}>>
// CHECK: tile.store {{.*}} : tensor<32x32x!tile.ptr<f32>, #tile.mma<{{.*}}>>
// Each warp owns a 16x16 quarter (two m16n8 tiles): a thread's 8
// accumulator elements meet the scales of its 2 rows (lane / 4 and 8 more),
// two 4-byte loads; the stores are 8 bytes (two columns), 4 per thread.
// LLVM-LABEL: llvm.func @row_scaled
// LLVM-COUNT-2: "ld.global.nc.b32 $0, [ $1 + 0 ];"
// LLVM-NOT: "ld.global.nc.b32
// LLVM-COUNT-4: "st.global.v2.b32 [ $0 + 0 ], { $1, $2 };"
// LLVM-NOT: st.global
module attributes {tile.num_warps = 4 : i32} {
func.func @row_scaled(%a: !tile.ptr<f16> {tile.divisibility = 16 : i32}, %s: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %o: !tile.ptr<f32> {tile.divisibility = 16 : i32}) {
  %r = tile.make_range {start = 0 : i32, end = 32 : i32} : tensor<32xi32>
  %c32 = arith.constant dense<32> : tensor<32xi32>
  %rows = arith.muli %r, %c32 : tensor<32xi32>
  %re = tile.expand_dims %rows {axis = 1 : i32} : tensor<32xi32> -> tensor<32x1xi32>
  %rb = tile.broadcast %re : tensor<32x1xi32> -> tensor<32x32xi32>
  %ce = tile.expand_dims %r {axis = 0 : i32} : tensor<32xi32> -> tensor<1x32xi32>
  %cb = tile.broadcast %ce : tensor<1x32xi32> -> tensor<32x32xi32>
  %off = arith.addi %rb, %cb : tensor<32x32xi32>
  %rb2 = tile.broadcast %re : tensor<32x1xi32> -> tensor<32x32xi32>
  %cb2 = tile.broadcast %ce : tensor<1x32xi32> -> tensor<32x32xi32>
  %off2 = arith.addi %rb2, %cb2 : tensor<32x32xi32>
  %pa = tile.splat %a : !tile.ptr<f16> -> tensor<32x32x!tile.ptr<f16>>
  %pa2 = tile.addptr %pa, %off : tensor<32x32x!tile.ptr<f16>>, tensor<32x32xi32>
  %x = tile.load %pa2 : tensor<32x32x!tile.ptr<f16>>
  %zero = arith.constant dense<0.0> : tensor<32x32xf32>
  %d = tile.dot %x, %x, %zero : tensor<32x32xf16> * tensor<32x32xf16> -> tensor<32x32xf32>
  %ps = tile.splat %s : !tile.ptr<f32> -> tensor<32x!tile.ptr<f32>>
  %ps2 = tile.addptr %ps, %r : tensor<32x!tile.ptr<f32>>, tensor<32xi32>
  %sv = tile.load %ps2 : tensor<32x!tile.ptr<f32>>
  %se = tile.expand_dims %sv {axis = 1 : i32} : tensor<32xf32> -> tensor<32x1xf32>
  %sb = tile.broadcast %se : tensor<32x1xf32> -> tensor<32x32xf32>
  %y = arith.mulf %d, %sb : tensor<32x32xf32>
  %po = tile.splat %o : !tile.ptr<f32> -> tensor<32x32x!tile.ptr<f32>>
  %po2 = tile.addptr %po, %off2 : tensor<32x32x!tile.ptr<f32>>, tensor<32x32xi32>
  tile.store %po2, %y : tensor<32x32x!tile.ptr<f32>>
  return
}
}
