#include "identity.h"

namespace pw::server {

QString Identity::describe() const {
    switch (kind) {
    case Kind::Open:
        return QStringLiteral("open");
    case Kind::Token:
        return QStringLiteral("token");
    case Kind::Session:
        return QStringLiteral("session");
    case Kind::Jwt:
        return QStringLiteral("jwt:") + (name.isEmpty() ? QStringLiteral("?") : name);
    }
    return {};
}

QString Identity::roleName(Role role) {
    return role == Role::Operator ? QStringLiteral("operator") : QStringLiteral("viewer");
}

} // namespace pw::server
