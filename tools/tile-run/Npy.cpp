//===- Npy.cpp - NumPy .npy files and the run's args.json -----------------===//

#include "Npy.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <cstring>

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
             const std::map<std::string, std::string> &params, uint64_t seed,
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
                          {"seed", seed},
                          // programs, or [x, y] for a 2-D grid
                          {"grid", problem.grid.y == 1
                                       ? llvm::json::Value(problem.grid.x)
                                       : llvm::json::Value(llvm::json::Array{
                                             problem.grid.x, problem.grid.y})},
                          {"args", std::move(args)}};
  std::string text;
  llvm::raw_string_ostream os(text);
  os << llvm::formatv("{0:2}", llvm::json::Value(std::move(root))) << "\n";
  llvm::SmallString<128> path(dir);
  llvm::sys::path::append(path, "args.json");
  return writeFile(path.str().str(), text, error);
}

bool readSavedRun(const std::string &dir, SavedRun &run, std::string &error) {
  llvm::SmallString<128> path(dir);
  llvm::sys::path::append(path, "args.json");
  std::string where = path.str().str();
  auto file = llvm::MemoryBuffer::getFile(where);
  if (!file) {
    error = "cannot read " + where + ": " + file.getError().message();
    return false;
  }
  llvm::Expected<llvm::json::Value> parsed =
      llvm::json::parse((*file)->getBuffer());
  if (!parsed) {
    error = where + ": " + llvm::toString(parsed.takeError());
    return false;
  }
  const llvm::json::Object *root = parsed->getAsObject();
  auto fail = [&](const std::string &what) {
    error = where + ": " + what;
    return false;
  };
  if (!root)
    return fail("not a JSON object");
  std::optional<llvm::StringRef> kernel = root->getString("kernel");
  if (!kernel)
    return fail("no \"kernel\" string");
  run.kernel = kernel->str();
  if (const llvm::json::Object *ps = root->getObject("params")) {
    for (const auto &[k, v] : *ps) {
      std::optional<llvm::StringRef> text = v.getAsString();
      if (!text)
        return fail("params." + k.str() + " is not a string");
      run.params[k.str()] = text->str();
    }
  } else {
    return fail("no \"params\" object");
  }
  // The seed as --seed takes it (0 to 2^64 - 1); absent: --seed's default.
  if (const llvm::json::Value *seed = root->get("seed")) {
    std::optional<uint64_t> value = seed->getAsUINT64();
    if (!value)
      if (std::optional<int64_t> whole = seed->getAsInteger(); whole && *whole >= 0)
        value = uint64_t(*whole);
    if (!value)
      return fail("seed is not an integer from 0 to 18446744073709551615");
    run.seed = *value;
  }
  const llvm::json::Array *args = root->getArray("args");
  if (!args)
    return fail("no \"args\" array");
  for (const llvm::json::Value &v : *args) {
    const llvm::json::Object *o = v.getAsObject();
    std::optional<llvm::StringRef> name = o ? o->getString("name") : std::nullopt;
    std::optional<llvm::StringRef> kind = o ? o->getString("kind") : std::nullopt;
    if (!name || !kind)
      return fail("an argument without \"name\" and \"kind\"");
    SavedRun::Arg arg;
    arg.name = name->str();
    if (*kind == "pointer") {
      std::optional<llvm::StringRef> f = o->getString("file");
      if (!f)
        return fail("pointer argument " + arg.name + " has no \"file\"");
      arg.pointer = true;
      arg.file = f->str();
      arg.output = o->getBoolean("output").value_or(false);
    } else if (*kind == "scalar") {
      std::optional<int64_t> value = o->getInteger("value");
      if (!value)
        return fail("scalar argument " + arg.name + " has no integer \"value\"");
      arg.value = *value;
    } else {
      return fail("argument " + arg.name + " has kind '" + kind->str() +
                  "' (pointer or scalar)");
    }
    run.args.push_back(std::move(arg));
  }
  return true;
}

bool loadNpy(const std::string &path, Buffer &buffer, std::string &error) {
  // Only a regular file (or a link to one): a FIFO would block the open, a
  // device such as /dev/zero never end.
  llvm::sys::fs::file_status status;
  if (!llvm::sys::fs::status(path, status) &&
      status.type() != llvm::sys::fs::file_type::regular_file) {
    error = path + ": not a regular file";
    return false;
  }
  auto file = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                          /*RequiresNullTerminator=*/false);
  if (!file) {
    error = "cannot read " + path + ": " + file.getError().message();
    return false;
  }
  llvm::StringRef bytes = (*file)->getBuffer();
  auto fail = [&](const std::string &what) {
    error = path + ": " + what;
    return false;
  };
  if (bytes.size() < 10 || !bytes.starts_with("\x93NUMPY"))
    return fail("not a .npy file (no \\x93NUMPY magic)");
  unsigned major = uint8_t(bytes[6]);
  size_t headerAt = major == 1 ? 10 : 12;
  if (major < 1 || major > 3)
    return fail(".npy version " + std::to_string(major) + " (1 to 3 are read)");
  if (bytes.size() < headerAt)
    return fail("truncated header");
  size_t headerLength =
      major == 1 ? size_t(uint8_t(bytes[8])) | size_t(uint8_t(bytes[9])) << 8
                 : size_t(uint8_t(bytes[8])) | size_t(uint8_t(bytes[9])) << 8 |
                       size_t(uint8_t(bytes[10])) << 16 |
                       size_t(uint8_t(bytes[11])) << 24;
  if (bytes.size() < headerAt + headerLength)
    return fail("truncated header");
  llvm::StringRef header = bytes.substr(headerAt, headerLength);
  // The header is a Python dict literal: 'descr', 'fortran_order', 'shape'.
  auto valueOf = [&](llvm::StringRef key) -> llvm::StringRef {
    size_t at = header.find("'" + key.str() + "'");
    if (at == llvm::StringRef::npos)
      return {};
    llvm::StringRef rest = header.substr(at + key.size() + 2).ltrim(" :");
    if (rest.starts_with("'"))
      return rest.substr(1, rest.find('\'', 1) - 1);
    if (rest.starts_with("("))
      return rest.substr(1, rest.find(')') - 1);
    return rest.take_until([](char c) { return c == ',' || c == '}'; }).trim();
  };
  llvm::StringRef descr = valueOf("descr");
  if (descr.empty())
    return fail("no 'descr' in the header");
  if (valueOf("fortran_order") == "True")
    return fail("Fortran-ordered arrays are not read (save it C-ordered)");
  if (valueOf("fortran_order") != "False")
    return fail("no 'fortran_order' in the header");
  int64_t count = 1;
  llvm::SmallVector<llvm::StringRef> dims;
  valueOf("shape").split(dims, ',', -1, /*KeepEmpty=*/false);
  for (llvm::StringRef d : dims) {
    int64_t n;
    if (d.trim().getAsInteger(10, n) || n < 0 ||
        __builtin_mul_overflow(count, n, &count))
      return fail("bad shape (" + valueOf("shape").str() + ")");
  }
  // '<f4', '|u1', '<V2': byte order, kind, size.
  int64_t itemBytes = 0;
  if (descr.size() < 3 || descr.drop_front(2).getAsInteger(10, itemBytes))
    return fail("element type '" + descr.str() + "' is not a plain type");
  char kind = descr[1];
  if (descr[0] == '>' && itemBytes > 1)
    return fail("big-endian data ('" + descr.str() + "')");
  std::string want = buffer.elementType;
  bool kindOk = want == "f32"   ? kind == 'f'
                : want == "i32" ? kind == 'i' || kind == 'u'
                                : true; // raw bits: any kind of the size
  if (itemBytes != buffer.elementBytes || !kindOk)
    return fail("element type '" + descr.str() + "' does not hold " + want +
                " (" + std::to_string(buffer.elementBytes) + " bytes)");
  int64_t wantCount = int64_t(buffer.data.size()) / buffer.elementBytes;
  // An empty problem (M = 0) still allocates one element, which nothing
  // reads: an empty array stands for it as well as --save's one element.
  int64_t logical = 1;
  for (int64_t d : buffer.shape)
    logical *= d;
  if (count == 0 && logical == 0)
    return true;
  if (count != wantCount)
    return fail(std::to_string(count) + " elements; the problem's " +
                buffer.name + " holds " + std::to_string(wantCount) +
                " (its whole allocation, as --save writes it)");
  llvm::StringRef data = bytes.substr(headerAt + headerLength);
  if (data.size() != buffer.data.size())
    return fail(std::to_string(data.size()) + " bytes of data after the header, " +
                std::to_string(buffer.data.size()) + " expected");
  std::memcpy(buffer.data.data(), data.data(), data.size());
  return true;
}

bool loadSavedInputs(const std::string &dir, const SavedRun &saved,
                     const std::string &kernel, Problem &problem,
                     std::string &error) {
  auto fail = [&](const std::string &message) {
    error = message;
    return false;
  };
  // Every argument of the problem must be in args.json as the problem has
  // it, once, and nothing else; the inputs come from their files (outputs
  // start as the fresh problem's poison).
  for (const SavedRun::Arg &s : saved.args) {
    if (llvm::none_of(problem.args, [&](const Argument &a) {
          return a.name == s.name;
        }))
      return fail(dir + "/args.json gives an argument '" + s.name +
                  "', which " + kernel + " does not take");
    if (llvm::count_if(saved.args, [&](const SavedRun::Arg &o) {
          return o.name == s.name;
        }) > 1)
      return fail(dir + "/args.json gives the argument '" + s.name +
                  "' more than once");
  }
  for (const Argument &a : problem.args) {
    auto it = llvm::find_if(saved.args, [&](const SavedRun::Arg &s) {
      return s.name == a.name;
    });
    if (it == saved.args.end())
      return fail(dir + "/args.json has no argument '" + a.name + "'");
    if (it->pointer != (a.buffer >= 0))
      return fail(dir + "/args.json gives '" + a.name + "' as a " +
                  (it->pointer ? "pointer" : "scalar") + "; " + kernel +
                  " takes a " + (a.buffer >= 0 ? "pointer" : "scalar"));
    if (a.buffer < 0) {
      if (it->value != a.value)
        return fail(llvm::formatv("{0}/args.json gives {1} = {2}; its "
                                  "parameters make it {3}",
                                  dir, a.name, it->value, a.value)
                        .str());
      continue;
    }
    Buffer &buffer = problem.buffers[a.buffer];
    if (buffer.output)
      continue;
    llvm::SmallString<128> path(dir);
    llvm::sys::path::append(path, it->file);
    if (!loadNpy(path.str().str(), buffer, error))
      return false;
  }
  if (problem.acceptInputs) {
    std::string invalid = problem.acceptInputs(problem.buffers);
    if (!invalid.empty())
      return fail(dir + ": " + invalid);
  }
  return true;
}

} // namespace tile::run
