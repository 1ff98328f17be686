func.func @k(%a: tensor<16x16xf16>, %o: !tile.ptr<f32>) {
  return
}
