// Level 3's words: level 2's protocol words, and its own name and story.
import { defineWords } from '../../words.ts';
import { ackWords } from '../acks/words.ts';

export const words = defineWords({
  en: {
    ...ackWords.en,
    'scenario.two-clients': 'Road 3: two clients, two servers',
    'two-clients.brief':
      'Two clients each send their commands to both servers, with acknowledgements and sequence numbers; the valley captures nothing by itself (capture rate 0), and the valley student decides who arrives first. Every command is executed exactly once — but in which order does each server take them?',
    'two-clients.quiz.1': 'Both servers executed every command exactly once. Why can they still end with different values of x?',
    'two-clients.fix': 'The fix, in the next level: one serializer takes every command and forwards them, one at a time and in one order, to every server.',
    'two-clients.quiz.2': 'What would make every server take the commands of both clients in the same order?',
    'two-clients.settings.numbered': 'Commands carry sequence numbers',
  },
  zh: {
    ...ackWords.zh,
    'scenario.two-clients': '第 3 关：多个客户端对多个服务器',
    'two-clients.brief':
      '两个客户端各自把命令发给两台服务器，带确认和序号；山谷自己不会抓信使（捕获率为 0），由扮演山谷的学生决定谁先到达。每条命令都只执行一次——可是每台服务器按什么顺序执行它们呢？',
    'two-clients.quiz.1': '两台服务器都把每条命令恰好执行了一次。为什么它们最后的 x 仍然可能不同？',
    'two-clients.fix': '下一关的修正：由一个串行器接收所有命令，按同一个顺序一次一条地转发给每台服务器。',
    'two-clients.quiz.2': '怎样才能让每台服务器都按同一个顺序执行两个客户端的命令？',
    'two-clients.settings.numbered': '命令带序号',
  },
});
