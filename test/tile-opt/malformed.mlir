// Malformed input gives a diagnostic with a location and a non-zero exit.
// RUN: not tile-opt %s -split-input-file 2>&1 | FileCheck %s

// An unknown op of the tile dialect.
// CHECK: malformed.mlir:[[@LINE+2]]:{{[0-9]+}}: error: custom op 'tile.splatt' is unknown
func.func @typo(%x: f32) {
  %t = tile.splatt %x : f32 -> tensor<16xf32>
  return
}

// -----

// A truncated op.
// CHECK: malformed.mlir:[[@LINE+2]]:{{[0-9]+}}: error: expected ':'
func.func @truncated(%p: tensor<16x!tile.ptr<f32>>) {
  %x = tile.load %p
}

// -----

// A pointer type with no pointee.
// CHECK: malformed.mlir:[[@LINE+1]]:{{[0-9]+}}: error: expected non-function type
func.func private @bad_type(!tile.ptr<>)

// -----

// A use of an undefined value.
// CHECK: malformed.mlir:[[@LINE+2]]:{{[0-9]+}}: error: use of undeclared SSA value name
func.func @undefined() {
  %t = tile.splat %nothing : f32 -> tensor<16xf32>
  return
}
