#pragma once

#include "result.h"

#include <QString>

namespace pw::core {

// A container image reference, parsed and normalised as Docker does it:
// nginx → docker.io/library/nginx:latest; a/b:1 → docker.io/a/b:1;
// host:5000/x/y keeps the port (it is not a tag); name@sha256:<64 hex> is a digest.
class ImageReference
{
public:
    static constexpr int kMaxNameLength = 255;
    static constexpr int kMaxTagLength = 128;
    static constexpr int kMaxInputLength = 1024;

    // Parses `text`; the error says what is wrong and what is allowed.
    static Result<ImageReference> parse(QStringView text);

    const QString &domain() const { return m_domain; } // docker.io, nvcr.io, host:5000
    const QString &path() const { return m_path; }     // library/nginx, nvidia/pytorch
    const QString &tag() const { return m_tag; }       // empty when only a digest was given
    const QString &digest() const { return m_digest; } // sha256:…, or empty
    // The reference exactly as it was given (before normalisation).
    const QString &written() const { return m_written; }

    // docker.io/library/nginx
    QString repository() const;
    // What a person types: nginx, a/b, nvcr.io/nvidia/pytorch.
    QString familiarName() const;
    // The normalised reference: repository[:tag][@digest]; tag "latest" when neither given.
    QString toString() const;
    // Tag, or the digest when there is no tag; "latest" when neither was given.
    QString tagOrDigest() const;
    // The registry host without its port (lowercase), and the port or 0.
    QString host() const;
    int port() const;

private:
    QString m_written;
    QString m_domain;
    QString m_path;
    QString m_tag;
    QString m_digest;
};

} // namespace pw::core
