// SPDX-License-Identifier: GPL-2.0
/*
 * vigil_child: a program for the tests to run and watch.
 *   vigil_child exit N      exit with status N
 *   vigil_child sleep       wait until killed
 *   vigil_child args ...    take any arguments, exit 0
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "exit"))
		return atoi(argv[2]);
	if (argc >= 2 && !strcmp(argv[1], "sleep"))
		for (;;)
			pause();
	return 0;
}
