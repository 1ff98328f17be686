// Loads and stores become predicated vector accesses in inline PTX, as wide as
// contiguity, alignment and masks allow; the kernel gets the NVVM ABI.
// RUN: tile-opt %s -split-input-file -tile-coalesce -tile-assign-layouts -convert-tile-to-llvm | FileCheck %s

// An aligned read-only f32 load: 16-byte `ld.global.nc`; the store through
// another pointer: 16-byte `st.global` with the cache operator.
// CHECK-LABEL: llvm.func @copy
// CHECK-SAME: %{{.*}}: !llvm.ptr<1> {llvm.align = 16 : i64, llvm.noalias}
// CHECK-SAME: attributes {nvvm.kernel, nvvm.reqntid = array<i32: 128, 1, 1>, tile.shared_bytes = 0 : i32}
// CHECK: llvm.getelementptr %{{.*}}[%{{.*}}] : (!llvm.ptr<1>, i32) -> !llvm.ptr<1>, f32
// CHECK: llvm.inline_asm has_side_effects asm_dialect = att "ld.global.nc.v4.b32 { $0, $1, $2, $3 }, [ $4 + 0 ];", "=r,=r,=r,=r,l"
// CHECK: llvm.inline_asm has_side_effects asm_dialect = att "st.global.cs.v4.b32 [ $0 + 0 ], { $1, $2, $3, $4 };", "l,r,r,r,r"
func.func @copy(%p: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %q: !tile.ptr<f32> {tile.divisibility = 16 : i32}) {
  %r = tile.make_range {end = 512 : i32, start = 0 : i32} : tensor<512xi32>
  %s = tile.splat %p : !tile.ptr<f32> -> tensor<512x!tile.ptr<f32>>
  %a = tile.addptr %s, %r : tensor<512x!tile.ptr<f32>>, tensor<512xi32>
  %x = tile.load %a : tensor<512x!tile.ptr<f32>>
  %t = tile.splat %q : !tile.ptr<f32> -> tensor<512x!tile.ptr<f32>>
  %b = tile.addptr %t, %r : tensor<512x!tile.ptr<f32>>, tensor<512xi32>
  tile.store %b, %x cache = cs : tensor<512x!tile.ptr<f32>>
  return
}

// -----

// Loading from memory the kernel also writes: no `.nc`.
// CHECK-LABEL: llvm.func @in_place
// CHECK: "ld.global.v4.b32 { $0, $1, $2, $3 }, [ $4 + 0 ];"
// CHECK-NOT: ld.global.nc
func.func @in_place(%p: !tile.ptr<f32> {tile.divisibility = 16 : i32}) {
  %r = tile.make_range {end = 512 : i32, start = 0 : i32} : tensor<512xi32>
  %s = tile.splat %p : !tile.ptr<f32> -> tensor<512x!tile.ptr<f32>>
  %a = tile.addptr %s, %r : tensor<512x!tile.ptr<f32>>, tensor<512xi32>
  %x = tile.load %a : tensor<512x!tile.ptr<f32>>
  %y = arith.addf %x, %x : tensor<512xf32>
  tile.store %a, %y : tensor<512x!tile.ptr<f32>>
  return
}

// -----

// bf16 with a mask constant over runs of 8 (n divisible by 8): 8 elements
// per predicated 16-byte access; the constant `other` (1.0 = 0x3F80) fills
// the registers before the predicated load, so no select is needed.
// CHECK-LABEL: llvm.func @masked_bf16
// CHECK: "mov.b32 $0, 0x3F803F80;\0A\09mov.b32 $1, 0x3F803F80;\0A\09mov.b32 $2, 0x3F803F80;\0A\09mov.b32 $3, 0x3F803F80;\0A\09@$5 ld.global.nc.L1::evict_first.v4.b32 { $0, $1, $2, $3 }, [ $4 + 0 ];", "=r,=r,=r,=r,l,b"
// CHECK: llvm.bitcast %{{.*}} : i32 to vector<2xbf16>
// CHECK-NOT: arith.select %{{.*}}, %{{.*}}, %{{.*}} : bf16

func.func @masked_bf16(%p: !tile.ptr<bf16> {tile.divisibility = 16 : i32}, %q: !tile.ptr<bf16> {tile.divisibility = 16 : i32}, %n: i32 {tile.divisibility = 8 : i32}) {
  %r = tile.make_range {end = 1024 : i32, start = 0 : i32} : tensor<1024xi32>
  %nt = tile.splat %n : i32 -> tensor<1024xi32>
  %m = arith.cmpi slt, %r, %nt : tensor<1024xi32>
  %s = tile.splat %p : !tile.ptr<bf16> -> tensor<1024x!tile.ptr<bf16>>
  %a = tile.addptr %s, %r : tensor<1024x!tile.ptr<bf16>>, tensor<1024xi32>
  %zero = arith.constant dense<1.0> : tensor<1024xbf16>
  %x = tile.load %a, %m, %zero evict = evict_first : tensor<1024x!tile.ptr<bf16>>
  %t = tile.splat %q : !tile.ptr<bf16> -> tensor<1024x!tile.ptr<bf16>>
  %b = tile.addptr %t, %r : tensor<1024x!tile.ptr<bf16>>, tensor<1024xi32>
  tile.store %b, %x, %m : tensor<1024x!tile.ptr<bf16>>
  return
}

// -----

// A `other` that is not a constant is selected element by element.
// CHECK-LABEL: llvm.func @masked_other_value
// CHECK: "@$5 ld.global.v4.b32 { $0, $1, $2, $3 }, [ $4 + 0 ];", "=r,=r,=r,=r,l,b"
// CHECK: arith.select %{{.*}}, %{{.*}}, %{{.*}} : f32
func.func @masked_other_value(%p: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %n: i32 {tile.divisibility = 8 : i32}, %o: f32) {
  %r = tile.make_range {end = 512 : i32, start = 0 : i32} : tensor<512xi32>
  %nt = tile.splat %n : i32 -> tensor<512xi32>
  %m = arith.cmpi slt, %r, %nt : tensor<512xi32>
  %s = tile.splat %p : !tile.ptr<f32> -> tensor<512x!tile.ptr<f32>>
  %a = tile.addptr %s, %r : tensor<512x!tile.ptr<f32>>, tensor<512xi32>
  %other = tile.splat %o : f32 -> tensor<512xf32>
  %x = tile.load %a, %m, %other : tensor<512x!tile.ptr<f32>>
  %y = arith.addf %x, %x : tensor<512xf32>
  %q = tile.addptr %s, %r : tensor<512x!tile.ptr<f32>>, tensor<512xi32>
  tile.store %q, %y : tensor<512x!tile.ptr<f32>>
  return
}

// -----

// Without alignment or mask facts, one element per predicated access.
// CHECK-LABEL: llvm.func @unaligned
// CHECK: "@$2 ld.global.nc.b32 $0, [ $1 + 0 ];", "=r,l,b"
// CHECK: "@$2 st.global.b32 [ $0 + 0 ], $1;", "l,r,b"
func.func @unaligned(%p: !tile.ptr<f32>, %q: !tile.ptr<f32>, %n: i32) {
  %r = tile.make_range {end = 128 : i32, start = 0 : i32} : tensor<128xi32>
  %nt = tile.splat %n : i32 -> tensor<128xi32>
  %m = arith.cmpi slt, %r, %nt : tensor<128xi32>
  %s = tile.splat %p : !tile.ptr<f32> -> tensor<128x!tile.ptr<f32>>
  %a = tile.addptr %s, %r : tensor<128x!tile.ptr<f32>>, tensor<128xi32>
  %x = tile.load %a, %m : tensor<128x!tile.ptr<f32>>
  %t = tile.splat %q : !tile.ptr<f32> -> tensor<128x!tile.ptr<f32>>
  %b = tile.addptr %t, %r : tensor<128x!tile.ptr<f32>>, tensor<128xi32>
  tile.store %b, %x, %m : tensor<128x!tile.ptr<f32>>
  return
}

// -----

// A scalar store is written by thread 0 alone.
// CHECK-LABEL: llvm.func @scalar_store
// CHECK: %[[TID:.+]] = nvvm.read.ptx.sreg.tid.x : i32
// CHECK: %[[FIRST:.+]] = arith.cmpi eq, %[[TID]], %{{.*}} : i32
// CHECK: llvm.inline_asm has_side_effects asm_dialect = att "@$2 st.global.b32 [ $0 + 0 ], $1;", "l,r,b" %{{.*}}, %{{.*}}, %[[FIRST]]
func.func @scalar_store(%p: !tile.ptr<f32>, %v: f32) {
  tile.store %p, %v : !tile.ptr<f32>
  return
}

// -----

// A store through a pointer carried by a loop cannot be traced to an
// argument: no load is read-only, not even one from another argument.
// CHECK-LABEL: llvm.func @untraced_store
// CHECK: "ld.global.v4.b32
// CHECK-NOT: ld.global.nc
func.func @untraced_store(%p: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %q: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %n: i32) {
  %r = tile.make_range {end = 512 : i32, start = 0 : i32} : tensor<512xi32>
  %s = tile.splat %p : !tile.ptr<f32> -> tensor<512x!tile.ptr<f32>>
  %a = tile.addptr %s, %r : tensor<512x!tile.ptr<f32>>, tensor<512xi32>
  %x = tile.load %a : tensor<512x!tile.ptr<f32>>
  %t = tile.splat %q : !tile.ptr<f32> -> tensor<512x!tile.ptr<f32>>
  %b = tile.addptr %t, %r : tensor<512x!tile.ptr<f32>>, tensor<512xi32>
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %step = arith.constant dense<512> : tensor<512xi32>
  %end = scf.for %i = %c0 to %n step %c1 iter_args(%ptrs = %b) -> (tensor<512x!tile.ptr<f32>>) : i32 {
    tile.store %ptrs, %x : tensor<512x!tile.ptr<f32>>
    %next = tile.addptr %ptrs, %step : tensor<512x!tile.ptr<f32>>, tensor<512xi32>
    scf.yield %next : tensor<512x!tile.ptr<f32>>
  }
  return
}

// -----

// A masked load of single bytes with a constant `other`: PTX has no mov.b8,
// so the byte's 16-bit register (=h) is set with mov.b16 (ptxas refuses
// mov.b8).
// CHECK-LABEL: llvm.func @byte_other
// CHECK: "mov.b16 $0, 0x7;\0A\09@$2 ld.global.nc.b8 $0, [ $1 + 0 ];", "=h,l,b"
// CHECK-NOT: mov.b8
func.func @byte_other(%p: !tile.ptr<i8>, %o: !tile.ptr<i8>, %n: i32) {
  %r = tile.make_range {end = 128 : i32, start = 0 : i32} : tensor<128xi32>
  %s = tile.splat %p : !tile.ptr<i8> -> tensor<128x!tile.ptr<i8>>
  %a = tile.addptr %s, %r : tensor<128x!tile.ptr<i8>>, tensor<128xi32>
  %nt = tile.splat %n : i32 -> tensor<128xi32>
  %m = arith.cmpi slt, %r, %nt : tensor<128xi32>
  %seven = arith.constant dense<7> : tensor<128xi8>
  %x = tile.load %a, %m, %seven : tensor<128x!tile.ptr<i8>>
  %t = tile.splat %o : !tile.ptr<i8> -> tensor<128x!tile.ptr<i8>>
  %b = tile.addptr %t, %r : tensor<128x!tile.ptr<i8>>, tensor<128xi32>
  tile.store %b, %x, %m : tensor<128x!tile.ptr<i8>>
  return
}
