// `emlkit train --cv K`: k-fold cross-validation over a data set's recordings, for data sets too
// small for one validation split to say much.
//
// The train and validation records are pooled; each record's group comes from dataset.json's
// "recordings" (a recording, or a --group value; records of a split are stored in recording
// order). Groups are dealt to K folds per class (each group counts for its majority class),
// shuffled with Rng(seed), so every fold holds whole recordings and, when each class has at least
// K groups, every class. Fold i trains on the other folds, with early stopping on fold i, and is
// scored on fold i (so the figures lean slightly optimistic; --patience 0 avoids that). Data sets
// without "recordings" (older files) fall back to one group per record, with a warning.
//
//   EMLKIT_ASSIGN_OR_RETURN(CvResult cv, CrossValidate(ds, options, 5, stderr));
//   // cv.mean, cv.spread, cv.folds[i].metrics
#ifndef EMLKIT_TRAIN_CROSS_VALIDATION_H_
#define EMLKIT_TRAIN_CROSS_VALIDATION_H_

#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/status.h"
#include "data/dataset.h"
#include "train/train_options.h"

namespace emlkit::train {

struct CvFold {
  int64_t train_records = 0, val_records = 0, val_groups = 0;
  double score = 0;  // accuracy (classification) or MAE (regression) on the held-out fold
  nlohmann::json metrics;
};

struct CvResult {
  std::string metric;  // "accuracy" | "mae"
  std::vector<CvFold> folds;
  double mean = 0, spread = 0;  // mean and sample standard deviation of the fold scores
  std::vector<std::string> warnings;
};

// The group of each pooled record (train records first, then validation ones), from
// dataset.json; empty when the file has no usable "recordings".
std::vector<int64_t> PooledRecordGroups(const data::Dataset& ds);

// Errors (InvalidArgument, exit 2): k < 2, an anomaly data set, fewer groups than k, a class
// with fewer than k groups (named, with the largest k that works).
Result<CvResult> CrossValidate(const data::Dataset& ds, const TrainOptions& options, int k,
                               FILE* progress);

nlohmann::json CvResultJson(const CvResult& r);

}  // namespace emlkit::train

#endif  // EMLKIT_TRAIN_CROSS_VALIDATION_H_
