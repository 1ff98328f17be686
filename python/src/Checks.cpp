//===- Checks.cpp - Argument checks on DLPack tensors ---------------------===//

#include "Checks.h"

#include <climits>
#include <sstream>

namespace tile::python {

const char *dtypeName(Dtype dtype) {
  switch (dtype) {
  case Dtype::BF16:
    return "bfloat16";
  case Dtype::F16:
    return "float16";
  case Dtype::F32:
    return "float32";
  case Dtype::I8:
    return "int8";
  case Dtype::U8:
    return "uint8";
  case Dtype::I32:
    return "int32";
  case Dtype::FP8:
    return "float8_e4m3fn";
  }
  return "?";
}

DLDataType dlDtype(Dtype dtype) {
  switch (dtype) {
  case Dtype::BF16:
    return {kDLBfloat, 16, 1};
  case Dtype::F16:
    return {kDLFloat, 16, 1};
  case Dtype::F32:
    return {kDLFloat, 32, 1};
  case Dtype::I8:
    return {kDLInt, 8, 1};
  case Dtype::U8:
    return {kDLUInt, 8, 1};
  case Dtype::I32:
    return {kDLInt, 32, 1};
  case Dtype::FP8:
    return {kDLFloat8_e4m3fn, 8, 1};
  }
  return {kDLOpaqueHandle, 0, 0};
}

int dtypeBytes(Dtype dtype) {
  switch (dtype) {
  case Dtype::F32:
  case Dtype::I32:
    return 4;
  case Dtype::BF16:
  case Dtype::F16:
    return 2;
  default:
    return 1;
  }
}

bool dtypeOf(const TensorView &t, Dtype &dtype) {
  DLDataType d = t.dtype();
  if (d.lanes != 1)
    return false;
  for (Dtype c : {Dtype::BF16, Dtype::F16, Dtype::F32, Dtype::I8, Dtype::U8,
                  Dtype::I32, Dtype::FP8}) {
    DLDataType w = dlDtype(c);
    if (w.code == d.code && w.bits == d.bits) {
      dtype = c;
      return true;
    }
  }
  return false;
}

void fail(const char *fn, const char *arg, const std::string &message) {
  TVM_FFI_THROW(ValueError) << "tile." << fn << ": argument '" << arg
                            << "': " << message;
  __builtin_unreachable();
}

std::string shapeText(const TensorView &t) {
  std::ostringstream os;
  os << "(";
  for (int i = 0; i < t.ndim(); ++i)
    os << (i ? ", " : "") << t.shape()[i];
  os << (t.ndim() == 1 ? ",)" : ")");
  return os.str();
}

std::string strideText(const TensorView &t) {
  std::ostringstream os;
  os << "(";
  for (int i = 0; i < t.ndim(); ++i)
    os << (i ? ", " : "") << t.strides()[i];
  os << (t.ndim() == 1 ? ",)" : ")");
  return os.str();
}

static std::string deviceText(DLDevice d) {
  switch (d.device_type) {
  case kDLCPU:
    return "cpu";
  case kDLCUDA:
    return "cuda:" + std::to_string(d.device_id);
  case kDLCUDAHost:
    return "cuda_host";
  case kDLCUDAManaged:
    return "cuda_managed";
  default:
    return "device type " + std::to_string(int(d.device_type));
  }
}

Dtype Checker::tensor(const char *arg, const TensorView &t,
                      std::initializer_list<Dtype> allowed) {
  DLDevice d = t.device();
  if (place == Place::Host) {
    if (d.device_type != kDLCPU && d.device_type != kDLCUDAHost)
      fail(arg, "backend 'interp' runs on host memory, the tensor is on " +
                    deviceText(d) + " (copy it to the host, or use "
                    "backend='gpu')");
  } else {
    if (d.device_type != kDLCUDA)
      fail(arg, "backend 'gpu' needs a CUDA tensor, the tensor is on " +
                    deviceText(d) + " (use backend='interp' for host arrays)");
    if (deviceId < 0)
      deviceId = d.device_id;
    if (d.device_id != deviceId)
      fail(arg, "the tensor is on cuda:" + std::to_string(d.device_id) +
                    ", the call's first tensor on cuda:" +
                    std::to_string(deviceId) + ": every tensor of a call "
                    "must be on one device");
  }
  Dtype dtype;
  bool known = dtypeOf(t, dtype);
  for (Dtype a : allowed)
    if (known && a == dtype)
      return dtype;
  std::string list;
  for (Dtype a : allowed)
    list += std::string(list.empty() ? "" : ", ") + dtypeName(a);
  DLDataType g = t.dtype();
  std::string bits = std::to_string(g.bits);
  std::string got = known                       ? std::string(dtypeName(dtype))
                    : g.lanes != 1              ? "a vector type"
                    : g.code == kDLInt          ? "int" + bits
                    : g.code == kDLUInt         ? "uint" + bits
                    : g.code == kDLFloat        ? "float" + bits
                    : g.code == kDLBool         ? std::string("bool")
                    : g.code == kDLComplex      ? "complex" + bits
                                                : "DLPack type code " +
                                                      std::to_string(g.code) +
                                                      " with " + bits + " bits";
  TVM_FFI_THROW(TypeError) << "tile." << fn << ": argument '" << arg
                           << "': expected " << list << ", got " << got;
  __builtin_unreachable();
}

void Checker::ndim(const char *arg, const TensorView &t, int n,
                   const char *what) {
  if (t.ndim() != n)
    fail(arg, "expected " + std::to_string(n) + " dimension" +
                  (n == 1 ? " " : "s ") + what + ", got shape " + shapeText(t));
}

void Checker::extent(const char *arg, const TensorView &t, int dim,
                     int64_t want, const char *what) {
  if (t.shape()[dim] != want)
    fail(arg, "dimension " + std::to_string(dim) + " must be " + what + " = " +
                  std::to_string(want) + ", got shape " + shapeText(t));
}

void Checker::rowMajorRows(const char *arg, const TensorView &t) {
  int last = t.ndim() - 1;
  if (last >= 0 && t.shape()[last] > 1 && t.strides()[last] != 1)
    fail(arg, "the last dimension must be contiguous (stride 1), got strides " +
                  strideText(t) + " for shape " + shapeText(t));
}

void Checker::strides(const char *arg, const TensorView &t,
                      std::initializer_list<int64_t> want, const char *layout) {
  int i = 0;
  for (int64_t w : want) {
    if (t.shape()[i] > 1 && t.strides()[i] != w) {
      std::string text = "(";
      int j = 0;
      for (int64_t v : want)
        text += (j++ ? ", " : "") + std::to_string(v);
      fail(arg, std::string("the ") + layout + " layout needs strides " + text +
                    (want.size() == 1 ? ",)" : ")") + " for shape " +
                    shapeText(t) + ", got " + strideText(t));
    }
    ++i;
  }
}

int64_t Checker::stride(const TensorView &t, int dim, int64_t fallback) {
  return t.shape()[dim] > 1 ? t.strides()[dim] : fallback;
}

void Checker::aligned(const char *arg, const TensorView &t, int bytes) {
  uint64_t a = address(t);
  if (a % uint64_t(bytes) != 0) {
    char hex[32];
    std::snprintf(hex, sizeof(hex), "0x%llx", (unsigned long long)a);
    fail(arg, std::string("the first element's address ") + hex +
                  " is not aligned to " + std::to_string(bytes) +
                  " bytes, which the kernel assumes (copy the view, e.g. "
                  ".contiguous() or numpy.ascontiguousarray)");
  }
}

void Checker::fitsI32(const char *arg, const char *what, int64_t value) {
  if (value > INT32_MAX || value < INT32_MIN)
    fail(arg, std::string(what) + " = " + std::to_string(value) +
                  " does not fit the kernel's i32 argument");
}

int divisibilityOf(std::initializer_list<int64_t> values, int cap) {
  int div = 1;
  while (div < cap) {
    bool all = true;
    for (int64_t v : values)
      all = all && v % (2 * div) == 0;
    if (!all)
      break;
    div *= 2;
  }
  return div;
}

} // namespace tile::python

#include "Plan.h"

namespace tile::python {

int64_t extentBytes(const TensorView &t, int elementBytes) {
  int64_t last = 0;
  for (int i = 0; i < t.ndim(); ++i) {
    if (t.shape()[i] == 0)
      return 0;
    last += (t.shape()[i] - 1) * t.strides()[i];
  }
  return (last + 1) * elementBytes;
}

} // namespace tile::python
