// f16_exact's widening on hand-written IR: an int8 tile read from a ring in
// a blocked layout (16 bytes a thread: one vector load), converted to f16
// exactly (arith.sitofp on int8: per word, one xor, then per pair of bytes
// one prmt into the significands of 1024.0 and one f16x2 subtraction of
// 1152.0; no conversion instruction an element), and written with
// tile.local_store in 16-byte vector stores.
// RUN: tile-opt %s -split-input-file -convert-tile-to-llvm | FileCheck %s

// CHECK-LABEL: llvm.func @widen
// CHECK: llvm.load {{.*}} {alignment = 16 : i64} : !llvm.ptr<3> -> vector<16xi8>
// CHECK-NOT: sitofp
// CHECK: arith.xori {{.*}}%c-2139062144
// CHECK: prmt.b32 $0, $1, $2, 0x4140;
// CHECK: llvm.fsub {{.*}} : vector<2xf16>
// CHECK: prmt.b32 $0, $1, $2, 0x4342;
// CHECK: llvm.store {{.*}} {alignment = 16 : i64} : vector<8xf16>, !llvm.ptr<3>
// CHECK-NOT: sitofp
#ring = #tile.shared<vec = 16, perPhase = 2, maxPhase = 4, order = [1, 0]>
#wide = #tile.shared<vec = 8, perPhase = 1, maxPhase = 8, order = [1, 0]>
#blocked = #tile.blocked<sizePerThread = [1, 16], threadsPerWarp = [8, 4], warpsPerCTA = [4, 1], order = [1, 0]>
module attributes {tile.num_warps = 4 : i32, tile.target = "cuda:90a"} {
func.func @widen(%s: i32) {
  %ring = tile.local_alloc : !tile.memdesc<3x64x64xi8, #ring>
  %wide = tile.local_alloc : !tile.memdesc<2x64x64xf16, #wide>
  %bytes = tile.local_load %ring[%s] : !tile.memdesc<3x64x64xi8, #ring> -> tensor<64x64xi8, #blocked>
  %halves = arith.sitofp %bytes : tensor<64x64xi8, #blocked> to tensor<64x64xf16, #blocked>
  tile.local_store %halves, %wide[%s] : tensor<64x64xf16, #blocked> -> !tile.memdesc<2x64x64xf16, #wide>
  return
}
}

// -----

// An odd count of registers a thread is converted element by element.
// CHECK-LABEL: llvm.func @odd
// CHECK: arith.sitofp {{.*}} : i8 to f16
module attributes {tile.num_warps = 1 : i32} {
func.func @odd(%p: !tile.ptr<i8>, %q: !tile.ptr<f16>) {
  %x = tile.load %p : !tile.ptr<i8>
  %h = arith.sitofp %x : i8 to f16
  tile.store %q, %h : !tile.ptr<f16>
  return
}
}
