#pragma once

#include <QString>

namespace pw::server {

// Who a request comes from, once authenticated (docs/architecture.md §6), and what it may do:
// a viewer may read (every GET and WebSocket), an operator may also change state (start,
// retry, cancel pulls).
struct Identity {
    enum class Kind { Open, Token, Session, Jwt };
    enum class Role { Viewer, Operator };

    Kind kind = Kind::Open;
    Role role = Role::Operator;
    QString name; // the JWT's username (else its subject); empty for the others

    // For logs: "token", "session", "jwt:alice", "open" (no authentication configured).
    QString describe() const;
    static QString roleName(Role role);
};

} // namespace pw::server
