#include "registrypolicy.h"

#include <QRegularExpression>

namespace pw::core {

namespace {

QStringList split(const QString &list) {
    static const QRegularExpression separators(QStringLiteral("[,\\s]+"));
    return list.split(separators, Qt::SkipEmptyParts);
}

// host := label('.'label)* | '*.'domain | '['ipv6']', with an optional ':port'.
bool isPattern(const QString &p) {
    static const QRegularExpression re(
        QStringLiteral("^(\\*\\.)?([a-z0-9]([a-z0-9-]*[a-z0-9])?)(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)"
                       "*(:[0-9]{1,5})?$"
                       "|^\\[[0-9a-f:]+\\](:[0-9]{1,5})?$"));
    return re.match(p).hasMatch();
}

// A host whose labels are all numbers (127.1, 0x7f.1) is taken by resolvers as an address.
bool looksNumeric(const QString &host) {
    static const QRegularExpression re(
        QStringLiteral("^(0x[0-9a-f]+|[0-9]+)(\\.(0x[0-9a-f]+|[0-9]+))*$"));
    return re.match(host).hasMatch();
}

// Always refused: nothing a pull pod should reach on the node or the cloud metadata service.
QString alwaysRefused(const QHostAddress &a) {
    if (a.isLoopback())
        return QStringLiteral("a loopback address");
    if (a.isLinkLocal() || a.isInSubnet(QHostAddress(QStringLiteral("169.254.0.0")), 16))
        return QStringLiteral("a link-local address");
    if (a.isNull() || a == QHostAddress::AnyIPv4 || a == QHostAddress::AnyIPv6 ||
        a.isInSubnet(QHostAddress(QStringLiteral("0.0.0.0")), 8))
        return QStringLiteral("an unspecified address");
    if (a.isMulticast() || a.isBroadcast())
        return QStringLiteral("a multicast or broadcast address");
    return {};
}

} // namespace

RegistryPolicy::RegistryPolicy() {
    fill({}, defaultBlockedNetworks());
}

QString RegistryPolicy::defaultBlockedNetworks() {
    return QStringLiteral("127.0.0.0/8,::1/128,169.254.0.0/16,fe80::/10,10.0.0.0/8,172.16.0.0/12,"
                          "192.168.0.0/16,fc00::/7");
}

Result<RegistryPolicy> RegistryPolicy::create(const QString &allowedRegistries,
                                              const QString &blockedNetworks) {
    RegistryPolicy policy;
    if (const QString error = policy.fill(allowedRegistries, blockedNetworks); !error.isEmpty())
        return Result<RegistryPolicy>::failure(error);
    return policy;
}

QString RegistryPolicy::fill(const QString &allowedRegistries, const QString &blockedNetworks) {
    m_allowed.clear();
    m_blocked.clear();
    for (const QString &entry : split(allowedRegistries)) {
        const QString p = entry.toLower();
        if (!isPattern(p))
            return QStringLiteral("'%1' is not a registry host: give host, host:port or *.domain "
                                  "(e.g. docker.io, *.example.com, registry.local:5000)")
                .arg(entry.left(100));
        m_allowed.append(p);
    }
    for (const QString &entry : split(blockedNetworks)) {
        const auto subnet = QHostAddress::parseSubnet(entry);
        if (subnet.second < 0)
            return QStringLiteral(
                       "'%1' is not a network in CIDR notation (e.g. 10.96.0.0/12, fd00::/8)")
                .arg(entry.left(100));
        m_blocked.append(subnet);
    }
    return {};
}

QStringList RegistryPolicy::blockedNetworks() const {
    QStringList out;
    for (const auto &[address, length] : m_blocked)
        out << address.toString() + u'/' + QString::number(length);
    return out;
}

QString RegistryPolicy::check(const ImageReference &source) const {
    const QString host = source.host();
    const QString withPort = source.port() ? host + u':' + QString::number(source.port()) : host;
    const QString shown = QStringLiteral("registry %1").arg(source.domain());
    // Named exactly (not by a pattern): an administrator's decision that wins over the blocked
    // networks, never over the always-refused ranges.
    const bool explicitlyAllowed = m_allowed.contains(host) || m_allowed.contains(withPort);

    QString bare = host;
    if (bare.startsWith(u'['))
        bare = bare.mid(1, bare.size() - 2);
    QHostAddress address;
    const bool isAddress = address.setAddress(bare);
    if (host == u"localhost" || host.endsWith(QStringLiteral(".localhost")))
        return shown + QStringLiteral(
                           " is loopback; loopback and link-local registries are always refused");
    if (!isAddress && looksNumeric(host))
        return shown + QStringLiteral(" looks like an IP address but is not written in full "
                                      "(a.b.c.d); write it in full");
    if (isAddress) {
        bool mapped = false;
        const quint32 v4 = address.toIPv4Address(&mapped);
        if (mapped && address.protocol() == QAbstractSocket::IPv6Protocol)
            address = QHostAddress(v4);
        if (const QString why = alwaysRefused(address); !why.isEmpty())
            return shown +
                   QStringLiteral(" is %1; loopback and link-local registries are always refused")
                       .arg(why);
        if (!explicitlyAllowed)
            for (const auto &subnet : m_blocked)
                if (address.isInSubnet(subnet))
                    return shown + QStringLiteral(" is in the blocked network %1/%2 "
                                                  "(--blocked-networks); name it in "
                                                  "--allowed-registries to allow it")
                                       .arg(subnet.first.toString())
                                       .arg(subnet.second);
    }
    if (m_allowed.isEmpty() || explicitlyAllowed)
        return {};
    for (const QString &pattern : m_allowed) {
        if (!pattern.startsWith(QStringLiteral("*.")))
            continue;
        const QString suffix = pattern.mid(1); // ".example.com", maybe with a port
        if (suffix.contains(u':') ? withPort.endsWith(suffix) : host.endsWith(suffix))
            return {};
    }
    return shown + QStringLiteral(" is not allowed; --allowed-registries allows %1")
                       .arg(m_allowed.join(QStringLiteral(", ")));
}

} // namespace pw::core
