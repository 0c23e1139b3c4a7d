#pragma once

// QTest::toString overloads for the enums of backend/server, so that a failed QCOMPARE prints
// the access level, error kind or role by name.

#include "server/apierror.h"
#include "server/identity.h"
#include "server/routetable.h"

#include <QTest>

namespace pw::server {

inline char *toString(RouteAccess access)
{
    return QTest::toString(RouteTable::accessName(access));
}

inline char *toString(RouteService service)
{
    const QString name = RouteTable::serviceName(service);
    return QTest::toString(name.isEmpty() ? QStringLiteral("none") : name);
}

inline char *toString(ApiError::Kind kind)
{
    return QTest::toString(QStringLiteral("kind with status %1").arg(ApiError::status(kind)));
}

inline char *toString(Identity::Role role)
{
    return qstrdup(role == Identity::Role::Operator ? "operator" : "viewer");
}

} // namespace pw::server
