//===- Describe.cpp - Specs as parameters, and which kernel serves them ---===//
//
// describe() reads each family's parameter table (kernels/*/...Params.h), so
// a refusal names parameters exactly as tile-compile --list and the AOT
// CMake do (sameKernel, which compares specs field by field: SameKernel.cpp).
//
//===----------------------------------------------------------------------===//

#include "Families.h"

#include "GroupQuantParams.h"
#include "GroupedGemmParams.h"
#include "SiluMulNvfp4Params.h"
#include "SiluMulQuantParams.h"
#include "TokenQuantParams.h"

namespace tile::python {

using namespace kernels;

template <typename Spec>
static std::string text(const SpecParams<Spec> &table, const Spec &s) {
  std::string out;
  for (const SpecParam<Spec> &p : table)
    out += (out.empty() ? "" : " ") + p.name + "=" + p.get(s);
  return out;
}

std::string describe(const GroupQuantSpec &s) { return text(groupQuantParams(), s); }
std::string describe(const TokenQuantSpec &s) { return text(tokenQuantParams(), s); }
std::string describe(const SiluMulQuantSpec &s) { return text(siluMulQuantParams(), s); }
std::string describe(const SiluMulNvfp4Spec &s) { return text(siluMulNvfp4Params(), s); }
std::string describe(const GroupedGemmSpec &s) { return text(groupedGemmParams(), s); }

} // namespace tile::python
