// A Job's Pod over its life: as the Job controller creates it, and its status as the kubelet
// writes it while the container waits, runs and ends. Pure, so tests call it with documents.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "tests/cluster/job_status.h"

namespace cellar::testcluster {

// The Pod for `job` (a stored batch/v1 Job, with metadata.uid) as the Job controller asks for it:
// no name but generateName `<job>-` (kube-apiserver cuts it to 58 characters and appends five, so
// the name fits a DNS label whatever the Job's name), the template's metadata and spec, labels
// `job-name`, `controller-uid`, `batch.kubernetes.io/job-name` and
// `batch.kubernetes.io/controller-uid`, an ownerReference to the Job with controller and
// blockOwnerDeletion true, and the defaults kube-apiserver gives a Pod's spec and containers
// (terminationMessagePath, terminationMessagePolicy, imagePullPolicy, ...). Status: phase Pending.
nlohmann::json pod_for_job(const nlohmann::json& job);

// The defaults kube-apiserver gives a PodSpec wherever one is written (a Pod, a Job's or a
// Deployment's template): restartPolicy, dnsPolicy, schedulerName, and each container's
// terminationMessagePath/Policy, imagePullPolicy, ports' protocol and probes' timings.
void default_pod_spec(nlohmann::json& spec);

// The hostname the kubelet gives the Pod's containers: spec.hostname or the Pod's name, cut to 63
// characters with any '-' or '.' the cut leaves at the end trimmed.
std::string pod_hostname(const nlohmann::json& pod);

// The uid of the Job that controls `pod` (its controller ownerReference of kind Job), or "".
std::string controlling_job_uid(const nlohmann::json& pod);
// That Job's name, or "".
std::string controlling_job_name(const nlohmann::json& pod);

// The kubelet's writes. Each returns the Pod's whole new `status` for the stored `pod`, with the
// Pod conditions (PodScheduled, PodReadyToStartContainers, Initialized, ContainersReady, Ready),
// hostIP/podIP 127.0.0.1 and one containerStatuses entry for spec.containers[0]; a condition keeps
// its lastTransitionTime while its status stays the same.

// Pending, the container waiting: ContainerCreating, CreateContainerConfigError, ErrImagePull...
nlohmann::json waiting_pod_status(const nlohmann::json& pod, const std::string& reason,
                                  const std::string& message, Clock::time_point now);
// Running and ready: `state.running.startedAt`.
nlohmann::json running_pod_status(const nlohmann::json& pod, Clock::time_point started_at,
                                  const std::string& container_id);

struct ContainerEnd {
  int exit_code = 0;
  std::string reason;  // empty: Completed for exit code 0, Error otherwise
  std::string message;
  Clock::time_point started_at;
  Clock::time_point finished_at;
  std::string container_id;
};
// Succeeded (exit code 0) or Failed, with `state.terminated`.
nlohmann::json terminated_pod_status(const nlohmann::json& pod, const ContainerEnd& end);
// Failed for a Pod stopped before its container ever ran: the kubelet reports such a container as
// terminated with reason ContainerStatusUnknown and exit code 137.
nlohmann::json never_ran_pod_status(const nlohmann::json& pod, Clock::time_point now);

}  // namespace cellar::testcluster
