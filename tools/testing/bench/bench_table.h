/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What vigil_bench and vigil_catalogue_bench share: a round's sample, and
 * the table of medians, each against the workload's first configuration
 * (the baseline: no broker, or no module).
 */
#ifndef VIGIL_BENCH_TABLE_H
#define VIGIL_BENCH_TABLE_H

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* One round of one workload under one configuration. */
struct bench_sample {
	double ops_per_s;
	double records_per_s;
	uint64_t dropped;
};

static inline int bench_by_ops(const void *a, const void *b)
{
	double x = ((const struct bench_sample *)a)->ops_per_s;
	double y = ((const struct bench_sample *)b)->ops_per_s;

	return (x > y) - (x < y);
}

static inline void bench_table_header(const char *config, const char *baseline)
{
	printf("%-10s %-10s %10s %10s %12s %8s\n", "work", config, "ops/s",
	       baseline, "records/s", "dropped");
}

/*
 * The median of a workload's @rounds samples under each of @nr_configs
 * configurations (@s[config * rounds + round]; sorted in place), one row
 * each, the ratio against configuration 0.
 */
static inline void bench_table_rows(const char *work, const char *const *configs,
				    unsigned int nr_configs, struct bench_sample *s,
				    unsigned int rounds)
{
	double base = 0;
	unsigned int c;

	for (c = 0; c < nr_configs; c++) {
		struct bench_sample *row = s + c * rounds;
		const struct bench_sample *m;

		qsort(row, rounds, sizeof(*row), bench_by_ops);
		m = &row[rounds / 2];
		if (c == 0)
			base = m->ops_per_s;
		printf("%-10s %-10s %10.0f %10.3f %12.0f %8" PRIu64 "\n", work,
		       configs[c], m->ops_per_s, m->ops_per_s / base,
		       m->records_per_s, m->dropped);
	}
}

#endif /* VIGIL_BENCH_TABLE_H */
