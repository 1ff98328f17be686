// A kernel's arguments keep what its code assumes of them, for the launcher
// to check (getKernelInfo reads them): a pointer's tile.divisibility becomes
// llvm.align beside noalias; an integer's stays tile.divisibility, since LLVM
// has no attribute for it; a float gets nothing.
// RUN: tile-opt %s -tile-coalesce -tile-assign-layouts -convert-tile-to-llvm | FileCheck %s
// The translation to LLVM IR and PTX takes the integer's attribute silently.
// RUN: tile-compile %s --emit ptx -o - 2>&1 | FileCheck %s --check-prefix=PTX --implicit-check-not=warning

// A bf16 row copy masked by `n`, which is a multiple of 8 (runs of 8 lanes
// share a mask: 16-byte accesses); `stride` an i64 multiple of 16; `m` and
// `eps` unconstrained.
// CHECK-LABEL: llvm.func @strided
// CHECK-SAME: (%{{[a-z0-9]+}}: !llvm.ptr<1> {llvm.align = 16 : i64, llvm.noalias},
// CHECK-SAME: %{{[a-z0-9]+}}: !llvm.ptr<1> {llvm.align = 16 : i64, llvm.noalias},
// CHECK-SAME: %{{[a-z0-9]+}}: i32 {tile.divisibility = 8 : i32},
// CHECK-SAME: %{{[a-z0-9]+}}: i64 {tile.divisibility = 16 : i32},
// CHECK-SAME: %{{[a-z0-9]+}}: i32, %{{[a-z0-9]+}}: f32)
// CHECK-SAME: attributes {nvvm.kernel
// PTX: .entry strided(
// PTX: ld.global.nc.v4.b32
func.func @strided(%x: !tile.ptr<bf16> {tile.divisibility = 16 : i32},
                   %y: !tile.ptr<bf16> {tile.divisibility = 16 : i32},
                   %n: i32 {tile.divisibility = 8 : i32},
                   %stride: i64 {tile.divisibility = 16 : i32},
                   %m: i32, %eps: f32) {
  %r = tile.make_range {end = 1024 : i32, start = 0 : i32} : tensor<1024xi32>
  %nt = tile.splat %n : i32 -> tensor<1024xi32>
  %mask = arith.cmpi slt, %r, %nt : tensor<1024xi32>
  %s = tile.splat %x : !tile.ptr<bf16> -> tensor<1024x!tile.ptr<bf16>>
  %a = tile.addptr %s, %r : tensor<1024x!tile.ptr<bf16>>, tensor<1024xi32>
  %v = tile.load %a, %mask : tensor<1024x!tile.ptr<bf16>>
  %t = tile.splat %y : !tile.ptr<bf16> -> tensor<1024x!tile.ptr<bf16>>
  %b = tile.addptr %t, %r : tensor<1024x!tile.ptr<bf16>>, tensor<1024xi32>
  tile.store %b, %v, %mask : tensor<1024x!tile.ptr<bf16>>
  return
}
