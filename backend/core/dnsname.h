#pragma once

#include <QString>

namespace pw::core {

// Validation of names that go into a Kubernetes URL, before any request is built
// (docs/architecture.md §2). Each function returns an empty string for a valid name, otherwise a
// message that names the field and says what is allowed.
namespace DnsName {
constexpr int kMaxLabel = 63;
constexpr int kMaxSubdomain = 253;

// RFC 1123 label: namespaces, container names.
QString labelError(QStringView name, QStringView field);
// RFC 1123 subdomain: pod and job names.
QString subdomainError(QStringView name, QStringView field);

inline bool isLabel(QStringView name) { return labelError(name, u"name").isEmpty(); }
inline bool isSubdomain(QStringView name) { return subdomainError(name, u"name").isEmpty(); }
} // namespace DnsName

} // namespace pw::core
