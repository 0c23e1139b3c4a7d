#pragma once

#include "imagereference.h"
#include "result.h"

#include <QHostAddress>
#include <QList>
#include <QPair>
#include <QStringList>

namespace pw::core {

// Which source registries a pull may name (docs/architecture.md §2, "Registry policy").
// Checked on the parsed reference, before any Job exists; names are not resolved (the node
// resolves them), so an IP address written as a host is what is checked.
// - loopback (localhost, 127.0.0.0/8, ::1), link-local (169.254.0.0/16, fe80::/10) and
//   unspecified addresses: always refused;
// - an address in a blocked network (default RFC 1918 and fc00::/7, or the cluster's own
//   service and pod ranges as given): refused unless named exactly in the allowed list;
// - with an allowed list: only hosts it names (`host`, `host:port`, `*.domain`).
class RegistryPolicy {
public:
    // The defaults: any public host; loopback, link-local and private networks refused.
    RegistryPolicy();

    // Comma- or space-separated lists, as the options give them. An empty blocked list
    // keeps only the always-refused ranges.
    static Result<RegistryPolicy> create(const QString &allowedRegistries,
                                         const QString &blockedNetworks);
    static QString defaultBlockedNetworks();

    // Empty when `source` may be pulled, else why not and what is allowed.
    QString check(const ImageReference &source) const;

    QStringList allowed() const { return m_allowed; }
    QStringList blockedNetworks() const;

private:
    QString fill(const QString &allowedRegistries, const QString &blockedNetworks);

    QStringList m_allowed; // lowercase host, host:port or *.domain
    QList<QPair<QHostAddress, int>> m_blocked;
};

} // namespace pw::core
