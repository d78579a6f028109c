#ifndef RECEPTIOND_NOINET_FIXTURE_H
#define RECEPTIOND_NOINET_FIXTURE_H
/* Present so that the fixture's library is recognisably loaded (see noinet.c). */
int receptiond_noinet_fixture_loaded(void);
#endif
