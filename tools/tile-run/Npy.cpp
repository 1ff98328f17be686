//===- Npy.cpp - Writing NumPy .npy files and the run's args.json ---------===//

#include "Npy.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

namespace tile::run {

static std::string npyDescr(const Buffer &b) {
  if (b.elementType == "f32")
    return "<f4";
  if (b.elementType == "i32")
    return "<i4";
  if (b.elementType == "int8")
    return "|i1";
  if (b.elementBytes == 2)
    return "<u2"; // bf16, fp16: raw bits
  return "|u1";   // fp8, packed scales: raw bits
}

static bool writeFile(const std::string &path, const std::string &bytes,
                      std::string &error) {
  std::error_code ec;
  llvm::raw_fd_ostream out(path, ec);
  if (ec) {
    error = "cannot write " + path + ": " + ec.message();
    return false;
  }
  out << bytes;
  return true;
}

bool saveRun(const std::string &dir, const std::string &kernel,
             const std::map<std::string, std::string> &params,
             const Problem &problem, std::string &error) {
  if (std::error_code ec = llvm::sys::fs::create_directories(dir)) {
    error = "cannot create " + dir + ": " + ec.message();
    return false;
  }
  for (const Buffer &b : problem.buffers) {
    int64_t count = int64_t(b.data.size()) / b.elementBytes;
    std::string header = "{'descr': '" + npyDescr(b) +
                         "', 'fortran_order': False, 'shape': (" +
                         std::to_string(count) + ",), }";
    // Magic, version 1.0, header length; the header padded to 64 bytes.
    size_t total = 10 + header.size() + 1;
    header.append((64 - total % 64) % 64, ' ');
    header += '\n';
    std::string file = "\x93NUMPY";
    file += char(1);
    file += char(0);
    file += char(header.size() & 0xff);
    file += char(header.size() >> 8);
    file += header;
    file.append(reinterpret_cast<const char *>(b.data.data()), b.data.size());
    llvm::SmallString<128> path(dir);
    llvm::sys::path::append(path, b.name + ".npy");
    if (!writeFile(path.str().str(), file, error))
      return false;
  }
  llvm::json::Array args;
  for (const Argument &a : problem.args) {
    llvm::json::Object o{{"name", a.name}};
    if (a.buffer >= 0) {
      const Buffer &b = problem.buffers[a.buffer];
      o["kind"] = "pointer";
      o["element_type"] = b.elementType;
      o["shape"] = llvm::json::Array(b.shape);
      o["strides"] = llvm::json::Array(b.strides);
      o["file"] = b.name + ".npy";
      o["output"] = b.output;
    } else {
      o["kind"] = "scalar";
      o["element_type"] = "i32";
      o["value"] = a.value;
    }
    args.push_back(std::move(o));
  }
  llvm::json::Object ps;
  for (const auto &[k, v] : params)
    ps[k] = v;
  llvm::json::Object kps;
  for (const auto &[k, v] : problem.kernelParams)
    kps[k] = v;
  llvm::json::Object root{{"kernel", kernel},
                          {"problem", problem.description},
                          {"params", std::move(ps)},
                          {"kernel_params", std::move(kps)},
                          {"grid", problem.grid},
                          {"args", std::move(args)}};
  std::string text;
  llvm::raw_string_ostream os(text);
  os << llvm::formatv("{0:2}", llvm::json::Value(std::move(root))) << "\n";
  llvm::SmallString<128> path(dir);
  llvm::sys::path::append(path, "args.json");
  return writeFile(path.str().str(), text, error);
}

} // namespace tile::run
