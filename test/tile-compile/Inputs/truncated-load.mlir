func.func @k(%p: !tile.ptr<f32>) {
  %x = tile.load %p
}
