#pragma once

#include <QJsonObject>
#include <QStringList>

namespace pw::kubesim {

// Server-side field validation of a created Job (fieldValidation=Strict|Warn|Ignore): the
// paths of fields the batch/v1 Job schema does not know, as the apiserver reports them
// ("spec.template.spec.containers[0].imagePullPolcy"). Covers Job, ObjectMeta, JobSpec,
// PodTemplateSpec, PodSpec, Container and Volume names; deeper objects are not checked.
namespace FieldValidation {
// With prune, the unknown fields are also removed from *job (the apiserver does not store
// them under fieldValidation Warn or Ignore).
QStringList unknownJobFields(QJsonObject *job, bool prune);
} // namespace FieldValidation

} // namespace pw::kubesim
