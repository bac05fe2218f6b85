#pragma once

#include <memory>

namespace gatehouse {

// An OpenSSL object owned by a std::unique_ptr that frees it with its own function, so no
// path (an early return, an exception) leaks it or frees it twice:
//   using X509Ptr = OpenSslPtr<X509, X509_free>;
// The caller includes the OpenSSL header that declares `Free`.
template <auto Free>
struct OpenSslDeleter {
  template <typename T>
  void operator()(T* object) const {
    Free(object);
  }
};

template <typename T, auto Free>
using OpenSslPtr = std::unique_ptr<T, OpenSslDeleter<Free>>;

}  // namespace gatehouse
