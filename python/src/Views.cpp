//===- Views.cpp - A tensor's memory as another element type --------------===//
//
// view_as(tensor, dtype): the same memory, shape and strides, read as another
// element type of the same width. numpy and CuPy have no bfloat16 or
// float8_e4m3fn that DLPack can carry (ml_dtypes' arrays refuse __dlpack__),
// so the Python layer passes such arrays as uint16/uint8 and views them here
// as what they hold; the view keeps the source alive.
//
//===----------------------------------------------------------------------===//

#include "Views.h"

#include <tvm/ffi/function.h>

#include <vector>

namespace tile::python {

namespace {

struct ViewContext {
  tvm::ffi::Tensor source;
  std::vector<int64_t> shape, strides;
  DLManagedTensorVersioned managed;
};

} // namespace

tvm::ffi::Tensor viewAs(tvm::ffi::Tensor source, int64_t dtypeIndex) {
  if (dtypeIndex < 0 || dtypeIndex > int64_t(Dtype::FP8))
    TVM_FFI_THROW(ValueError) << "tile: view_as: no element type " << dtypeIndex;
  const DLTensor *d = source.GetDLTensorPtr();
  DLDataType want = dlDtype(Dtype(dtypeIndex));
  if (d->dtype.bits != want.bits || d->dtype.lanes != 1)
    TVM_FFI_THROW(TypeError)
        << "tile: view_as: a " << int(d->dtype.bits) << "-bit tensor cannot be "
        << "read as " << dtypeName(Dtype(dtypeIndex));
  auto *ctx = new ViewContext{source, {}, {}, {}};
  ctx->shape.assign(d->shape, d->shape + d->ndim);
  if (d->strides) {
    ctx->strides.assign(d->strides, d->strides + d->ndim);
  } else {
    ctx->strides.resize(d->ndim);
    int64_t s = 1;
    for (int i = d->ndim - 1; i >= 0; --i) {
      ctx->strides[i] = s;
      s *= d->shape[i];
    }
  }
  DLManagedTensorVersioned &m = ctx->managed;
  m.version = {DLPACK_MAJOR_VERSION, DLPACK_MINOR_VERSION};
  m.manager_ctx = ctx;
  m.deleter = [](DLManagedTensorVersioned *self) {
    delete static_cast<ViewContext *>(self->manager_ctx);
  };
  m.flags = 0;
  m.dl_tensor = *d;
  m.dl_tensor.dtype = want;
  m.dl_tensor.shape = ctx->shape.data();
  m.dl_tensor.strides = ctx->strides.data();
  return tvm::ffi::Tensor::FromDLPackVersioned(&m);
}

} // namespace tile::python
