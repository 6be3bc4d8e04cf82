import type { ParamsOf, RequestType } from '../protocol/clientFrame.ts';
import type { Conversation, Member, RoomSummary, User } from '../protocol/model.ts';
import type { ResultMap } from '../protocol/serverFrame.ts';
import type { StateIntake } from './StateIntake.ts';

/** What room and people requests work with. */
export interface RoomRequestsParts {
  /** Conversations and users the answers bring land here. */
  intake: StateIntake;
  /** A request to the hub; fails with `signed_out` while nobody is signed in. */
  request<T extends RequestType>(type: T, params: ParamsOf<T>): Promise<ResultMap[T]>;
}

/**
 * The Backend's requests about rooms, direct conversations and people (create, join, leave,
 * invite, change, members, search), each taking the hub's answer into the state. Not queued:
 * they need the hub now, and fail when it is not there.
 */
export class RoomRequests {
  constructor(private readonly parts: RoomRequestsParts) {}

  async createRoom(input: {
    name: string;
    kind: 'open' | 'closed';
    topic?: string;
    members?: number[];
  }): Promise<Conversation> {
    const params: ParamsOf<'rooms.create'> = { name: input.name, kind: input.kind };
    if (input.topic !== undefined) params.topic = input.topic;
    if (input.members !== undefined) params.members = input.members;
    const { conversation } = await this.parts.request('rooms.create', params);
    this.parts.intake.conversationChanged(conversation);
    return conversation;
  }

  async browseRooms(query: string): Promise<RoomSummary[]> {
    return (await this.parts.request('rooms.browse', { query, limit: 200 })).rooms;
  }

  async joinRoom(conversationId: number): Promise<Conversation> {
    const { conversation } = await this.parts.request('rooms.join', { conversationId });
    this.parts.intake.conversationChanged(conversation);
    return conversation;
  }

  async leaveRoom(conversationId: number): Promise<void> {
    await this.parts.request('rooms.leave', { conversationId });
    this.parts.intake.conversationGone(conversationId);
  }

  async invite(conversationId: number, userIds: number[]): Promise<void> {
    await this.parts.request('rooms.invite', { conversationId, userIds });
  }

  async removeMember(conversationId: number, userId: number): Promise<void> {
    await this.parts.request('rooms.remove', { conversationId, userId });
  }

  async updateRoom(
    conversationId: number,
    change: { name?: string; topic?: string; pinRule?: 'members' | 'owners' },
  ): Promise<void> {
    const params: ParamsOf<'rooms.update'> = { conversationId };
    if (change.name !== undefined) params.name = change.name;
    if (change.topic !== undefined) params.topic = change.topic;
    if (change.pinRule !== undefined) params.pinRule = change.pinRule;
    const { conversation } = await this.parts.request('rooms.update', params);
    this.parts.intake.conversationChanged(conversation);
  }

  async transferOwnership(conversationId: number, userId: number): Promise<void> {
    await this.parts.request('rooms.transfer', { conversationId, userId });
  }

  async members(conversationId: number): Promise<Member[]> {
    const { members } = await this.parts.request('rooms.members', { conversationId });
    const loading = this.parts.intake.loadUnknownUsers(members.map((m) => m.userId));
    if (loading) await loading;
    return members;
  }

  async openDirect(userId: number): Promise<Conversation> {
    const { conversation } = await this.parts.request('direct.open', { userId });
    this.parts.intake.conversationChanged(conversation);
    return conversation;
  }

  async searchUsers(query: string): Promise<User[]> {
    const { users } = await this.parts.request('users.search', { query, limit: 50 });
    this.parts.intake.putUsers(users);
    return users;
  }
}
