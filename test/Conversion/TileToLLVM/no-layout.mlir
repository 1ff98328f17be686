// convert-tile-to-llvm needs layouts: without tile-assign-layouts it says so.
// RUN: tile-opt %s -convert-tile-to-llvm -verify-diagnostics

func.func @unlaid(%p: !tile.ptr<f32>) {
  // expected-error @+1 {{'tile.make_range' op has a tile without a layout; run tile-coalesce and tile-assign-layouts first}}
  %r = tile.make_range {end = 16 : i32, start = 0 : i32} : tensor<16xi32>
  %s = tile.splat %p : !tile.ptr<f32> -> tensor<16x!tile.ptr<f32>>
  %a = tile.addptr %s, %r : tensor<16x!tile.ptr<f32>>, tensor<16xi32>
  %x = tile.load %a : tensor<16x!tile.ptr<f32>>
  tile.store %a, %x : tensor<16x!tile.ptr<f32>>
  return
}
