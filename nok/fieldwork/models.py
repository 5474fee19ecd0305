"""The interviewers' fieldwork (interview and telephone modes of the survey).

The responses themselves are ``nok.surveys.Response`` rows (mode «интервью» or «телефонный
опрос», with their interviewer); this app keeps what surrounds them.
"""
